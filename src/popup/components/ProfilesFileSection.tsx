import type { Profile } from '../../core/profile';
import { useLoadedWhenOpened } from '../use-lazy-module';
import { Collapsible } from './Collapsible';
import { LoadingLine } from './LoadingLine';
import './folded-sections.css';

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
  const { module: panel, opened, onToggle } = useLoadedWhenOpened(false, loadPanel);
  return (
    <section class="profiles-file-section" aria-labelledby="profiles-file-heading">
      <Collapsible name="profiles-file" title="Export and import" initiallyOpen={false} onToggle={onToggle}>
        {panel ? (
          <panel.ProfilesFilePanel profiles={profiles} onImported={onImported} />
        ) : (
          <LoadingLine opened={opened} text="Loading export and import…" />
        )}
      </Collapsible>
    </section>
  );
}
