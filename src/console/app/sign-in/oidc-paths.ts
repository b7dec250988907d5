// The console's addresses the identity provider sends the browser back to; register both with the provider.
export const CALLBACK_PATH = '/console/signed-in';
export const SIGNED_OUT_PATH = '/console/signed-out';
