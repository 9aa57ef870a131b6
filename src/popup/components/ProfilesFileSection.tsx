import { useState } from 'preact/hooks';
import type { Profile } from '../../core/profile';
import { useLazyModule } from '../use-lazy-module';
import { Collapsible } from './Collapsible';

/** The forms (with the file format and its encryption) load the first time the section is opened. */
const loadPanel = () => import('./ProfilesFilePanel');

/** "Export and import": profiles to a JSON file and back. Folded; rendered while the secrets are readable. */
export function ProfilesFileSection({
  profiles,
  onImported,
}: {
  profiles: Profile[];
  onImported: () => void;
}) {
  const [opened, setOpened] = useState(false);
  const panel = useLazyModule(opened, loadPanel);
  return (
    <section class="profiles-file-section" aria-labelledby="profiles-file-heading">
      <Collapsible
        name="profiles-file"
        title="Export and import"
        initiallyOpen={false}
        onToggle={(open) => {
          if (open) setOpened(true);
        }}
      >
        {panel ? (
          <panel.ProfilesFilePanel profiles={profiles} onImported={onImported} />
        ) : (
          // Not the bare "Loading…" of the popup's first frame, which the e2e page objects wait to see go.
          opened && (
            <p class="loading" aria-busy="true">
              Loading export and import…
            </p>
          )
        )}
      </Collapsible>
    </section>
  );
}
