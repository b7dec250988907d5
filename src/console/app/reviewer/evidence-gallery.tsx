import { useRef, useState } from 'react';
import { readFragment, type FragmentOf, type ResultOf } from '../graphql/graphql.ts';
import { ReviewerEvidenceFields } from './complaint.operations.ts';
import { roleWords, when } from './words.ts';
import { ZoomableImage } from './zoomable-image.tsx';

type EvidenceData = ResultOf<typeof ReviewerEvidenceFields>;
export interface EvidenceWithMatches {
  photo: EvidenceData;
  similar: EvidenceData[];
}

export const readEvidence = (
  evidence: ReadonlyArray<
    FragmentOf<typeof ReviewerEvidenceFields> & { similarEvidence: ReadonlyArray<FragmentOf<typeof ReviewerEvidenceFields>> }
  >,
): EvidenceWithMatches[] =>
  evidence.map((item) => ({
    photo: readFragment(ReviewerEvidenceFields, item),
    similar: item.similarEvidence.map((match) => readFragment(ReviewerEvidenceFields, match)),
  }));

const describe = (photo: EvidenceData, index: number) =>
  `Photo ${index + 1} from ${roleWords(photo.uploadedByRole)}${photo.caption ? `: ${photo.caption}` : ''}`;

/** Thumbnails of every photo; one opens full size in a viewer with zoom. */
export function EvidenceGallery({ evidence }: { evidence: EvidenceWithMatches[] }) {
  const viewer = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState<{ photo: EvidenceData; label: string } | null>(null);
  const show = (photo: EvidenceData, label: string) => {
    setOpen({ photo, label });
    viewer.current?.showModal();
  };
  if (evidence.length === 0) return <p className="empty">No photos were added.</p>;
  const matches = evidence.flatMap(({ photo, similar }, index) => similar.map((match) => ({ photo, index, match })));
  return (
    <>
      <ul className="gallery" aria-label="Photos">
        {evidence.map(({ photo }, index) => (
          <li key={photo.id}>
            <button type="button" className="thumb" onClick={() => show(photo, describe(photo, index))}>
              <img src={photo.thumbnailUrl ?? photo.url ?? ''} alt={describe(photo, index)} />
              <span className="hint">
                {roleWords(photo.uploadedByRole)} · {when(photo.createdAt)} · open full size
              </span>
            </button>
          </li>
        ))}
      </ul>
      <h3>Similar photos in other complaints</h3>
      {matches.length === 0 ? (
        <p className="empty">None of these photos looks like one filed in another complaint.</p>
      ) : (
        <div className="pairs">
          {matches.map(({ photo, index, match }) => (
            <div
              className="pair"
              key={`${photo.id}-${match.id}`}
              role="group"
              aria-label={`Photo ${index + 1} beside a similar photo from another complaint`}
            >
              <figure>
                <button type="button" className="thumb" onClick={() => show(photo, describe(photo, index))}>
                  <img src={photo.thumbnailUrl ?? ''} alt={describe(photo, index)} />
                </button>
                <figcaption>This complaint: photo {index + 1}</figcaption>
              </figure>
              <figure>
                <button
                  type="button"
                  className="thumb"
                  onClick={() => show(match, `Similar photo from another complaint, filed ${when(match.createdAt)}`)}
                >
                  <img src={match.thumbnailUrl ?? ''} alt={`Similar photo from another complaint, filed ${when(match.createdAt)}`} />
                </button>
                <figcaption>
                  Another complaint, from {roleWords(match.uploadedByRole)}, {when(match.createdAt)}
                </figcaption>
              </figure>
            </div>
          ))}
        </div>
      )}
      <dialog ref={viewer} className="viewer" aria-labelledby="viewer-heading" onClose={() => setOpen(null)}>
        <h2 id="viewer-heading">{open?.label ?? 'Photo'}</h2>
        {open?.photo.url ? (
          <ZoomableImage src={open.photo.url} alt={open.label} width={open.photo.width} height={open.photo.height} />
        ) : (
          <p>This photo can’t be shown to you.</p>
        )}
        <p>
          <button type="button" onClick={() => viewer.current?.close()}>
            Close
          </button>
        </p>
      </dialog>
    </>
  );
}
