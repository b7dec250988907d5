const dateFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium' });
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

export const formatDate = (iso: string | null | undefined) => (iso ? dateFormat.format(new Date(iso)) : '—');
export const formatDateTime = (iso: string | null | undefined) => (iso ? dateTimeFormat.format(new Date(iso)) : '—');

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Plain words for the API's status names. */
export const STATUS_WORDS: Record<string, string> = {
  PENDING_VERIFICATION: 'Waiting for verification',
  VERIFIED: 'Verified',
  SUSPENDED: 'Suspended',
  SUBMITTED: 'Waiting for review',
  APPROVED: 'Approved',
  REJECTED: 'Rejected',
  REVOKED: 'Revoked',
  EXPIRED: 'Expired',
  ACTIVE: 'Active',
  PENDING: 'Waiting for your answer',
  CONFIRMED: 'Confirmed',
  DENIED: 'Denied',
  SUCCEEDED: 'Delivered',
  FAILED: 'Failed',
  CANCELLED: 'Cancelled',
  OWNER: 'Owner',
  MANAGER: 'Manager',
  AGENT: 'Agent',
};

export const words = (status: string | null | undefined) => (status ? (STATUS_WORDS[status] ?? status) : '—');

/** A status as a coloured tag; the word carries the meaning, the colour only helps. */
export function statusTone(status: string | null | undefined): 'good' | 'warn' | 'bad' | 'neutral' {
  switch (status) {
    case 'VERIFIED':
    case 'APPROVED':
    case 'ACTIVE':
    case 'CONFIRMED':
    case 'SUCCEEDED':
      return 'good';
    case 'PENDING_VERIFICATION':
    case 'SUBMITTED':
    case 'PENDING':
    case 'SUSPENDED':
      return 'warn';
    case 'REJECTED':
    case 'REVOKED':
    case 'DENIED':
    case 'FAILED':
      return 'bad';
    default:
      return 'neutral';
  }
}
