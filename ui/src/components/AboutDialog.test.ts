import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/svelte';
import AboutDialog from './AboutDialog.svelte';
import { createFake, err } from '../test/fake-api';
import { renderWith } from '../test/render';

describe('AboutDialog', () => {
  it("shows the build (version, commit, date), Tauri and the webview, as Rust reports them", async () => {
    const fake = createFake();
    await renderWith(AboutDialog, fake, { props: { onclose: () => {} } });
    expect(await screen.findByTestId('about-version')).toHaveTextContent('0.1.0');
    expect(screen.getByTestId('about-commit')).toHaveTextContent('0123456789ab');
    expect(screen.getByTestId('about-build-date')).toHaveTextContent('2026-01-02');
    expect(screen.getByTestId('about-tauri')).toHaveTextContent('2.12.5');
    expect(screen.getByTestId('about-webview')).toHaveTextContent('WebKitGTK 2.48.1');
  });

  it('lists the third-party packages with their licenses, and the license texts', async () => {
    const fake = createFake();
    await renderWith(AboutDialog, fake, { props: { onclose: () => {} } });
    const rows = await screen.findAllByTestId('about-license-row');
    const cells = rows.map((r) => Array.from(r.querySelectorAll('td'), (td) => td.textContent?.trim()));
    expect(cells).toEqual([
      ['serde', '1.0.228', 'MIT OR Apache-2.0'],
      ['svelte (npm)', '5.57.3', 'MIT'],
    ]);
    expect(rows[1]).toHaveAttribute('data-ecosystem', 'npm');
    expect(screen.getByTestId('about-license-count')).toHaveTextContent('1 Rust crates and 1 npm packages');
    const texts = screen.getByTestId('about-license-texts');
    expect(within(texts).getByText(/Permission is hereby granted/)).toBeInTheDocument();
    expect(texts).toHaveTextContent('serde 1.0.228, svelte 5.57.3');
  });

  it('says when this build has no license list, and what is unknown', async () => {
    const fake = createFake();
    fake.about = { ...fake.about, commit: null, webview: null, licenses: null };
    await renderWith(AboutDialog, fake, { props: { onclose: () => {} } });
    expect(await screen.findByTestId('about-no-licenses')).toHaveTextContent('without its license list');
    expect(screen.getByTestId('about-commit')).toHaveTextContent('not known for this build');
    expect(screen.getByTestId('about-webview')).toHaveTextContent('not known');
    expect(screen.queryByTestId('about-licenses')).not.toBeInTheDocument();
  });

  it('shows an error with a Retry that retries', async () => {
    const fake = createFake().fail('about', err('internal', 'The about task stopped.'));
    const { user } = await renderWith(AboutDialog, fake, { props: { onclose: () => {} } });
    const error = await screen.findByTestId('about-error');
    expect(error).toHaveTextContent('The about task stopped.');
    await user.click(within(error).getByTestId('retry-button'));
    expect(await screen.findByTestId('about-version')).toHaveTextContent('0.1.0');
  });

  it('Close closes', async () => {
    const fake = createFake();
    let closed = 0;
    const { user } = await renderWith(AboutDialog, fake, { props: { onclose: () => closed++ } });
    await user.click(await screen.findByTestId('about-close'));
    expect(closed).toBe(1);
  });
});
