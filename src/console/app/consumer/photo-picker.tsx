import { useCallback, useState, type ChangeEvent } from 'react';
import { uploadEvidence } from './evidence-upload.ts';

export interface ChosenPhoto {
  key: string;
  file: File;
  /** 0 to 1 while sending; 1 once the service has it. */
  progress: number;
  sent: boolean;
}

/** The photos a person picked, and sending those not sent yet to a complaint, one after another. */
export function usePhotoUploads() {
  const [photos, setPhotos] = useState<ChosenPhoto[]>([]);
  const add = useCallback((files: File[]) => {
    setPhotos((current) => [
      ...current,
      ...files.map((file) => ({ key: `${file.name}-${file.size}-${file.lastModified}-${Math.random()}`, file, progress: 0, sent: false })),
    ]);
  }, []);
  const remove = useCallback((key: string) => setPhotos((current) => current.filter((photo) => photo.key !== key)), []);
  const update = (key: string, change: Partial<ChosenPhoto>) =>
    setPhotos((current) => current.map((photo) => (photo.key === key ? { ...photo, ...change } : photo)));

  /** Resolves with the first problem (naming the photo), or null once every photo is sent. */
  const sendAll = async (complaintId: string, onEach?: (index: number, total: number) => void): Promise<string | null> => {
    const pending = photos.filter((photo) => !photo.sent);
    for (const [index, photo] of pending.entries()) {
      onEach?.(index, pending.length);
      const result = await uploadEvidence(complaintId, photo.file, (progress) => update(photo.key, { progress }));
      if ('problem' in result) {
        update(photo.key, { progress: 0 });
        return `${photo.file.name}: ${result.problem.message}`;
      }
      update(photo.key, { progress: 1, sent: true });
    }
    return null;
  };
  return { photos, add, remove, sendAll, reset: () => setPhotos([]) };
}

interface PhotoPickerProps {
  id: string;
  label: string;
  uploads: ReturnType<typeof usePhotoUploads>;
  problem?: string | null;
  disabled?: boolean;
}

/** Photos from the phone's camera (or files), listed with how far each has been sent. */
export function PhotoPicker({ id, label, uploads, problem, disabled }: PhotoPickerProps) {
  const onChange = (event: ChangeEvent<HTMLInputElement>) => {
    uploads.add(Array.from(event.target.files ?? []));
    // The same photo can be picked again after being removed.
    event.target.value = '';
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <p id={`${id}-hint`} className="hint">
        Take photos with your phone’s camera, or choose saved ones: the code on the label, the logo, anything that looks wrong. JPEG, PNG,
        WebP or AVIF, up to 15 MB each. Location and other hidden details are removed from them.
      </p>
      <input
        id={id}
        type="file"
        accept="image/*"
        capture="environment"
        multiple
        disabled={disabled}
        onChange={onChange}
        aria-describedby={`${id}-hint${problem ? ` ${id}-problem` : ''}`}
        aria-invalid={problem ? true : undefined}
      />
      {problem && (
        <p id={`${id}-problem`} role="alert" className="error">
          {problem}
        </p>
      )}
      {uploads.photos.length > 0 && (
        <ul className="photo-list" aria-label="Chosen photos">
          {uploads.photos.map((photo) => (
            <li key={photo.key}>
              <span className="photo-name">{photo.file.name}</span>
              <progress value={photo.progress} max={1} aria-label={`Sending ${photo.file.name}`} />
              <span className="photo-state">
                {photo.sent ? 'Sent' : photo.progress > 0 ? `${Math.round(photo.progress * 100)}%` : 'Not sent yet'}
              </span>
              {!photo.sent && (
                <button type="button" className="secondary" disabled={disabled} onClick={() => uploads.remove(photo.key)}>
                  Remove<span className="visually-hidden"> {photo.file.name}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
