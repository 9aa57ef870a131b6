import type { ComponentChildren } from 'preact';

/** The popup's frame: the header with the extension's name and the active profile's, then the content. */
export function Shell({
  children,
  profileName,
}: {
  children: ComponentChildren;
  profileName?: string | undefined;
}) {
  return (
    <main>
      <header class="app-header">
        <img src="/icons/icon-32.png" alt="" width={24} height={24} />
        <h1>Sign Token Refresher</h1>
        {profileName && <span class="profile-name">{profileName}</span>}
      </header>
      {children}
    </main>
  );
}
