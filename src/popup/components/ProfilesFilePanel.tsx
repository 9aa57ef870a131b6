import { useState } from 'preact/hooks';
import { newPassphraseProblem, vaultFailureWords } from '../../core/passphrase';
import type { Profile } from '../../core/profile';
import {
  addImported,
  buildExport,
  exportFileName,
  readImport,
  type ImportedProfile,
} from '../../core/profile-file';
import { emptyData } from '../../core/stored-data';
import { sendMessage } from '../../platform/messaging';
import { workerProblem } from '../worker-problem';
import { PassphraseField } from './PassphraseField';

/**
 * Export and import of profiles, loaded the first time its section opens. The file is built and read here,
 * in the page, with the pure `profile-file` code; only the import's result goes to the worker, the one
 * writer, which checks it again. Shown only while the secrets are readable (no vault, or unlocked).
 */
export function ProfilesFilePanel({ profiles, onImported }: { profiles: Profile[]; onImported: () => void }) {
  return (
    <div class="profiles-file">
      {profiles.length > 0 && <ExportForm profiles={profiles} />}
      <ImportForm profiles={profiles} onImported={onImported} />
    </div>
  );
}

function ExportForm({ profiles }: { profiles: Profile[] }) {
  const [chosen, setChosen] = useState<ReadonlySet<string>>(() => new Set(profiles.map((p) => p.id)));
  const [withSecrets, setWithSecrets] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState('');
  const selected = profiles.filter((p) => chosen.has(p.id));

  const exportFile = async () => {
    setStatus('');
    if (selected.length === 0) {
      setError('Choose at least one profile to export.');
      return;
    }
    if (withSecrets) {
      const problem = newPassphraseProblem(passphrase);
      if (problem) {
        setError(vaultFailureWords(problem));
        return;
      }
      if (passphrase !== confirm) {
        setError('The two passphrases differ: type the same one twice.');
        return;
      }
    }
    setError(undefined);
    const text = await buildExport(selected, withSecrets ? { secrets: { passphrase } } : {});
    const name = exportFileName(new Date());
    download(name, text);
    setPassphrase('');
    setConfirm('');
    setStatus(
      `Exported ${plural(selected.length)} to ${name}` +
        (withSecrets ? ', the secrets encrypted with that passphrase.' : ', without secrets.'),
    );
  };

  return (
    <form
      class="export-form"
      aria-labelledby="export-heading"
      onSubmit={(e) => {
        e.preventDefault();
        void exportFile();
      }}
    >
      <h3 id="export-heading">Export</h3>
      <fieldset>
        <legend>Profiles to export</legend>
        {profiles.map((p) => (
          <label key={p.id} class="check">
            <input
              type="checkbox"
              checked={chosen.has(p.id)}
              onChange={(e) => {
                const next = new Set(chosen);
                if (e.currentTarget.checked) next.add(p.id);
                else next.delete(p.id);
                setChosen(next);
              }}
            />{' '}
            {p.name}
          </label>
        ))}
      </fieldset>
      <label class="check">
        <input
          type="checkbox"
          checked={withSecrets}
          onChange={(e) => {
            setWithSecrets(e.currentTarget.checked);
            setError(undefined);
          }}
        />{' '}
        Include secrets
      </label>
      <p class="hint">
        {withSecrets
          ? 'The client secrets and refresh tokens are encrypted with a passphrase for this file (never stored in clear in it). Access tokens are never exported.'
          : 'Names, client IDs, OAuth hosts and client authentication only: no client secret, no token.'}
      </p>
      {withSecrets && (
        <>
          <PassphraseField
            id="export-passphrase"
            label="File passphrase"
            value={passphrase}
            onInput={setPassphrase}
            autoComplete="new-password"
          />
          <PassphraseField
            id="export-passphrase-confirm"
            label="Confirm file passphrase"
            value={confirm}
            onInput={setConfirm}
            autoComplete="new-password"
          />
        </>
      )}
      {error && (
        <p role="alert" class="notice error">
          {error}
        </p>
      )}
      <button type="submit" class="secondary">
        Export profiles
      </button>
      <p class="export-status" role="status" aria-live="polite">
        {status}
      </p>
    </form>
  );
}

function ImportForm({ profiles, onImported }: { profiles: Profile[]; onImported: () => void }) {
  const [text, setText] = useState<string>();
  const [needsPassphrase, setNeedsPassphrase] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [problem, setProblem] = useState<string>();
  const [ready, setReady] = useState<ImportedProfile[]>();
  const [status, setStatus] = useState('');

  const read = async (fileText: string, withPassphrase?: string) => {
    setReady(undefined);
    const result = await readImport(fileText, withPassphrase ? { passphrase: withPassphrase } : {});
    if (!result.ok) {
      setProblem(result.problem);
      setNeedsPassphrase(result.needsPassphrase === true);
      return;
    }
    setProblem(undefined);
    setNeedsPassphrase(false);
    setPassphrase('');
    setReady(result.profiles);
  };

  // What the import will add, with the names it will get: the same rule the worker applies.
  const preview = ready
    ? addImported({ ...emptyData(), profiles }, ready, () => `preview-${crypto.randomUUID()}`).added
    : [];

  const add = async () => {
    if (!ready) return;
    try {
      const reply = await sendMessage('importProfiles', { profiles: ready });
      if (!reply.ok) {
        setProblem(reply.problem);
        return;
      }
      setReady(undefined);
      setText(undefined);
      setStatus(`Added ${plural(reply.added.length)}.`);
      onImported();
    } catch (error) {
      setProblem(workerProblem(error, 'changing the profiles'));
    }
  };

  return (
    <div class="import-form" aria-labelledby="import-heading" role="group">
      <h3 id="import-heading">Import</h3>
      <label for="import-file">Import profiles</label>
      <input
        id="import-file"
        type="file"
        accept="application/json,.json"
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          setStatus('');
          if (!file) return;
          void file.text().then((content) => {
            setText(content);
            return read(content);
          });
        }}
      />
      {needsPassphrase && text !== undefined && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void read(text, passphrase);
          }}
        >
          <PassphraseField
            id="import-passphrase"
            label="Passphrase of the file"
            value={passphrase}
            onInput={setPassphrase}
            autoComplete="current-password"
            focusOnMount
          />
          <button type="submit" class="secondary">
            Read the file
          </button>
        </form>
      )}
      {problem && (
        <p role="alert" class="notice error">
          {problem}
        </p>
      )}
      {ready && (
        <div class="import-preview">
          <p>Will add:</p>
          <ul>
            {preview.map((p) => (
              <li key={p.id}>
                {p.name}
                {p.renamedFrom ? ` (renamed from “${p.renamedFrom}”, which you have already)` : ''}
              </li>
            ))}
          </ul>
          <button type="button" class="secondary" onClick={() => void add()}>
            Add {plural(ready.length)}
          </button>
        </div>
      )}
      <p class="import-status" role="status" aria-live="polite">
        {status}
      </p>
    </div>
  );
}

function plural(count: number): string {
  return count === 1 ? '1 profile' : `${count} profiles`;
}

/** Saves `text` as a file through the page's own download (no `downloads` permission needed). */
function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  // After the click has handed the file over; revoking at once can cancel the download in some browsers.
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 60_000);
}
