import sharp from 'sharp';
import type { Stack } from './stack.js';
import type { Actor } from './store-operations.js';

export const COMPLAINT_FIELDS = /* GraphQL */ `
  id status orderReference description merchantStatement verdict decisionNote escalated
  store { id } brand { id }
  assignedReviewer { id }
  evidence { id uploadedByRole caption contentType width height sha256 perceptualHash url thumbnailUrl }
  warning { id strikeNumber }
  coupon { id code value { amount currency } expiresAt }
  deadlines { evidenceDueAt merchantResponseDueAt reviewDueAt appealDueAt }
  timeline { type actorRole message }
`;

const payload = (name: string, input: string) => /* GraphQL */ `
  mutation ($input: ${input}!) { ${name}(input: $input) { complaint { ${COMPLAINT_FIELDS} } userErrors { code field message } } }
`;

export const FILE_COMPLAINT = payload('fileComplaint', 'FileComplaintInput');
export const SUBMIT_COMPLAINT = payload('submitComplaint', 'ComplaintRefInput');
export const RESPOND_TO_COMPLAINT = payload('respondToComplaint', 'RespondToComplaintInput');
export const WITHDRAW_COMPLAINT = payload('withdrawComplaint', 'ComplaintRefInput');
export const CLAIM_COMPLAINT = payload('claimComplaint', 'ComplaintRefInput');
export const DECIDE_COMPLAINT = payload('decideComplaint', 'DecideComplaintInput');
export const APPEAL_DECISION = payload('appealDecision', 'AppealInput');
export const ADD_EVIDENCE = /* GraphQL */ `
  mutation ($input: AddEvidenceInput!) {
    addEvidence(input: $input) {
      evidence {
        id
        uploadedByRole
        caption
        contentType
        width
        height
        byteSize
        sha256
        perceptualHash
        url
        thumbnailUrl
        similarEvidence {
          id
        }
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;
export const COMPLAINT_BY_ID = /* GraphQL */ `query ($id: ID!) { node(id: $id) { ... on Complaint { ${COMPLAINT_FIELDS} } } }`;

const hsl = (hue: number, saturation: number, lightness: number): [number, number, number] => {
  const a = saturation * Math.min(lightness, 1 - lightness);
  const channel = (n: number) => {
    const k = (n + hue / 30) % 12;
    return Math.round(255 * (lightness - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [channel(0), channel(8), channel(4)];
};

/**
 * A photo-like JPEG: structure and noise, so perceptual hashes differ between seeds.
 * Drawn pixel by pixel rather than from SVG: the API under test blocks the SVG
 * loader process-wide (src/images/image-loaders.ts), and it runs in this process.
 */
export async function photo(seed = 1, width = 800, height = 600, name = 'photo.jpg'): Promise<File> {
  const circles = Array.from({ length: 6 }, (_, i) => ({
    x: ((seed * 97 + i * 131) % (width - 120)) + 10,
    y: ((seed * 53 + i * 71) % (height - 120)) + 10,
    r: 30 + ((seed * 17 + i * 23) % 80),
    colour: hsl((seed * 60 + i * 45) % 360, 0.7, 0.5),
  }));
  const [from, to] = [hsl((seed * 40) % 360, 0.6, 0.8), hsl((seed * 40 + 180) % 360, 0.6, 0.3)];
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = x / (width - 1);
      let colour = [0, 1, 2].map((c) => Math.round(from[c]! + (to[c]! - from[c]!) * t));
      for (const circle of circles) if ((x - circle.x) ** 2 + (y - circle.y) ** 2 <= circle.r ** 2) colour = circle.colour;
      pixels.set(colour, (y * width + x) * 3);
    }
  }
  const body = await sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
  return new File([body], name, { type: 'image/jpeg' });
}

export async function fileComplaint(stack: Stack, consumer: Actor, storeId: string, brandId?: string) {
  const res = await stack.gql(
    FILE_COMPLAINT,
    { input: { storeId, brandId, orderReference: 'ORD-1001', description: 'The handbag arrived with a misspelt logo.' } },
    { token: consumer.token },
  );
  const complaint = res.body.data?.fileComplaint.complaint;
  if (!complaint) throw new Error(`fileComplaint failed: ${JSON.stringify(res.body)}`);
  return complaint as { id: string; status: string };
}

export async function addPhoto(stack: Stack, who: Actor, complaintId: string, file?: File, caption?: string) {
  return stack.gql(
    ADD_EVIDENCE,
    { input: { complaintId, photo: null, caption } },
    { token: who.token, files: { 'input.photo': file ?? (await photo()) } },
  );
}

export async function send(stack: Stack, mutation: string, who: Actor, input: Record<string, unknown>) {
  const res = await stack.gql(mutation, { input }, { token: who.token });
  const name = Object.keys(res.body.data ?? {})[0];
  return { res, payload: name ? res.body.data[name] : null };
}

export const REQUEST_COMPLAINT_INFORMATION = payload('requestComplaintInformation', 'RequestComplaintInformationInput');
export const ANSWER_INFORMATION_REQUEST = payload('answerInformationRequest', 'AnswerInformationRequestInput');

/** What a reviewer decides with: the case file around the complaint. */
export const CASE_FILE_FIELDS = /* GraphQL */ `
  id status listingUrl appealReason appealedByRole
  deadlines { reviewDueAt informationDueAt }
  informationRequests { side note dueAt open answeredAt statement expiredAt }
  timeline { type actorRole message }
  evidence { id uploadedByRole }
  storeHistory {
    activeStrikes warningCount rescindedWarningCount warnings { id strikeNumber rescindedAt }
    earlierComplaintCount earlierComplaints { id verdict }
    earlierVerdicts { counterfeit notCounterfeit insufficientEvidence undecided }
  }
  complainantRecord { complaintsFiled decided upheld upheldShare withdrawn expired }
`;
export const CASE_FILE_BY_ID = /* GraphQL */ `query ($id: ID!) { node(id: $id) { ... on Complaint { ${CASE_FILE_FIELDS} } } }`;
