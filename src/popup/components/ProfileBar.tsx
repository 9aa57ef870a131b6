import { useEffect, useRef, useState } from 'preact/hooks';
import type { ProfileOpReply, RemovedProfile } from '../../core/protocol';
import type { Profile } from '../../core/profile';
import { sendMessage } from '../../platform/messaging';
import { workerProblem } from '../worker-problem';

/** How long "Undo" stays after a delete: long enough to notice the wrong profile went. */
export const UNDO_MS = 15_000;

type Op = () => Promise<ProfileOpReply>;

/**
 * The profile switcher and its actions, under the header. Switching is shown at once (the snapshot already
 * holds every profile's token) and stored by the worker; the other actions wait for the worker's answer.
 * While locked only the switcher is offered: the names and expiry times are not secret, the rest writes
 * sealed data.
 */
export function ProfileBar({
  profiles,
  activeId,
  locked,
  onSwitch,
  reload,
}: {
  profiles: Profile[];
  activeId: string | null;
  locked: boolean;
  /** Shows `profileId` at once, before the worker has stored the switch; undefined: the stored one again. */
  onSwitch: (profileId: string | undefined) => void;
  reload: () => void;
}) {
  const [renaming, setRenaming] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [removed, setRemoved] = useState<RemovedProfile>();
  const [working, setWorking] = useState(false);
  const active = profiles.find((p) => p.id === activeId);

  // Undo is offered for UNDO_MS, then the deleted profile (and its secrets) are dropped from memory too.
  useEffect(() => {
    if (!removed) return undefined;
    const timer = setTimeout(() => {
      setRemoved(undefined);
    }, UNDO_MS);
    return () => {
      clearTimeout(timer);
    };
  }, [removed]);

  const run = async (op: Op, after?: (reply: ProfileOpReply & { ok: true }) => void): Promise<boolean> => {
    setProblem(undefined);
    setWorking(true);
    try {
      const reply = await op();
      if (!reply.ok) {
        setProblem(reply.problem);
        return false;
      }
      after?.(reply);
      return true;
    } catch (error) {
      setProblem(workerProblem(error, 'changing the profiles'));
      return false;
    } finally {
      setWorking(false);
      reload();
    }
  };

  const switchTo = (profileId: string) => {
    onSwitch(profileId);
    void run(() => sendMessage('switchProfile', { profileId })).then((stored) => {
      if (!stored) onSwitch(undefined); // back to the stored choice; the problem says why
    });
  };

  if (profiles.length === 0 && !removed && !problem) return null;

  return (
    <div class="profile-bar">
      {profiles.length > 0 && active && !renaming && (
        <div class="profile-row">
          <label for="profile-select">Profile</label>
          <select
            id="profile-select"
            value={active.id}
            onChange={(e) => {
              switchTo(e.currentTarget.value);
            }}
          >
            {profiles.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
      )}
      {active && renaming && (
        <RenameForm
          current={active.name}
          onCancel={() => {
            setRenaming(false);
            setProblem(undefined);
          }}
          onSubmit={(name) =>
            void run(
              () => sendMessage('renameProfile', { profileId: active.id, name }),
              () => {
                setRenaming(false);
              },
            )
          }
        />
      )}
      {!locked && !renaming && (
        <div class="profile-actions" role="group" aria-label="Profile actions">
          <button
            type="button"
            class="ghost"
            aria-label="New profile"
            aria-disabled={working}
            onClick={() => {
              if (!working) void run(() => sendMessage('createProfile', {}));
            }}
          >
            New
          </button>
          {active && (
            <>
              <button
                type="button"
                class="ghost"
                aria-label="Duplicate profile"
                title="A copy without the refresh token and the token: two profiles must not share one"
                aria-disabled={working}
                onClick={() => {
                  if (!working) void run(() => sendMessage('duplicateProfile', { profileId: active.id }));
                }}
              >
                Duplicate
              </button>
              <button
                type="button"
                class="ghost"
                aria-label="Rename profile"
                onClick={() => {
                  setProblem(undefined);
                  setRenaming(true);
                }}
              >
                Rename
              </button>
              <button
                type="button"
                class="ghost danger"
                aria-label="Delete profile"
                aria-disabled={working}
                onClick={() => {
                  if (working) return;
                  void run(
                    () => sendMessage('deleteProfile', { profileId: active.id }),
                    (reply) => {
                      if (reply.removed) setRemoved(reply.removed);
                    },
                  );
                }}
              >
                Delete
              </button>
            </>
          )}
        </div>
      )}
      {problem && (
        <p role="alert" class="notice error profile-problem">
          {problem}
        </p>
      )}
      <p class="profile-status" role="status" aria-live="polite">
        {removed && (
          <>
            Deleted “{removed.profile.name}”.{' '}
            <button
              type="button"
              class="link"
              onClick={() => {
                const restoring = removed;
                setRemoved(undefined);
                void run(() => sendMessage('restoreProfile', { removed: restoring }));
              }}
            >
              Undo
            </button>
          </>
        )}
      </p>
    </div>
  );
}

function RenameForm({
  current,
  onSubmit,
  onCancel,
}: {
  current: string;
  onSubmit: (name: string) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState(current);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.select();
  }, []);
  return (
    <form
      class="profile-row rename-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(name);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onCancel();
        }
      }}
    >
      <label for="profile-rename">Profile name</label>
      <input
        id="profile-rename"
        ref={input}
        value={name}
        maxLength={60}
        autoComplete="off"
        onInput={(e) => {
          setName(e.currentTarget.value);
        }}
      />
      <button type="submit" class="ghost" aria-label="Save name">
        Save
      </button>
      <button type="button" class="ghost" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
