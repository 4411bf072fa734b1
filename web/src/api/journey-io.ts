import { Journey } from '@hourglass/contract';
import { JourneyFile } from '@hourglass/journey';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from './client';
import { keys } from './queries';

/** A file name a marketer recognises: `win-back.journey.json`. */
export const journeyFileName = (name: string) =>
  `${
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'journey'
  }.journey.json`;

/** Fetches the journey file from the server (the server owns the format) and hands it to the browser. */
export async function downloadJourney(id: string, name: string) {
  const file = await api('GET', `/v1/journeys/${id}/export`, JourneyFile);
  const blob = new Blob([`${JSON.stringify(file, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = journeyFileName(name);
  document.body.append(a);
  a.click();
  a.remove();
  // Revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 5_000);
}

/** Reads a picked file and creates a draft from it; errors name the field at fault. */
export function useImportJourney() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (file: File) => {
      let data: unknown;
      try {
        data = JSON.parse(await file.text());
      } catch {
        throw new ApiError(400, {
          code: 'invalid_json',
          message: `${file.name} is not a JSON file`,
          field: 'file',
        });
      }
      if (data === null || typeof data !== 'object' || Array.isArray(data)) {
        throw new ApiError(400, {
          code: 'invalid_journey_file',
          message: `${file.name} is not an Hourglass journey file`,
          field: 'file',
        });
      }
      // A copy of a journey this workspace has becomes "<name> (2)" rather than a refusal.
      return api('POST', '/v1/journeys/import?renameIfTaken=true', Journey, data);
    },
    onSuccess: (j) => {
      qc.setQueryData(keys.journey(j.id), j);
      void qc.invalidateQueries({ queryKey: keys.journeys, exact: true });
    },
  });
}

/** The message to show for a failed import: the server's, with the field it blames. */
export function importErrorText(error: Error): string {
  if (error instanceof ApiError && error.body.field && error.body.field !== 'file') {
    return `${error.message} (at ${error.body.field.replace(/^body\.?/, '') || 'file'})`;
  }
  return error.message;
}
