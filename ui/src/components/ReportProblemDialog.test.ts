import { describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import App from '../App.svelte';
import { createAppContext } from '../lib/context';
import { cloudProfile, createFake, err, type FakeBackend } from '../test/fake-api';

const REPORT = {
  text: 'Hasura Cloud Desktop problem report\nApp version: 0.1.0\n\nErrors shown (1, newest last):\n  2026-01-02T03:04:05+00:00 timeout: Hasura Cloud did not answer in time.\n',
  fileName: 'hasura-cloud-desktop-report-2026-01-02-030405.txt',
};

function renderApp(fake: FakeBackend) {
  const ctx = createAppContext(fake.api);
  const user = userEvent.setup();
  render(App, { props: { api: fake.api, context: ctx } });
  return { user };
}

async function openReport(fake: FakeBackend) {
  await screen.findByTestId('shell');
  fake.menu('reportProblem');
  return screen.findByTestId('report-problem-dialog');
}

describe('Help → Report a Problem', () => {
  it('shows the report Rust made, copies it whole and saves it where the person chose', async () => {
    const fake = createFake({ profiles: [cloudProfile()] });
    fake.report = REPORT;
    const { user } = renderApp(fake);
    const dialog = await openReport(fake);
    const text = await within(dialog).findByTestId('problem-report-text');
    expect(text.textContent).toBe(REPORT.text);

    await user.click(within(dialog).getByTestId('problem-report-copy'));
    expect(await navigator.clipboard.readText()).toBe(REPORT.text);

    fake.reportSavedTo = '/home/me/report.txt';
    await user.click(within(dialog).getByTestId('problem-report-save'));
    expect(fake.api.problemReportSave).toHaveBeenCalledWith(REPORT.text, REPORT.fileName);
    expect(await within(dialog).findByTestId('problem-report-saved')).toHaveTextContent('Saved to /home/me/report.txt.');

    await user.click(within(dialog).getByTestId('problem-report-close'));
    expect(screen.queryByTestId('report-problem-dialog')).not.toBeInTheDocument();
  });

  it('a cancelled save says nothing; a failed one says why and keeps the report', async () => {
    const fake = createFake({ profiles: [cloudProfile()] });
    fake.report = REPORT;
    fake.reportSavedTo = null;
    const { user } = renderApp(fake);
    const dialog = await openReport(fake);
    await within(dialog).findByTestId('problem-report-text');
    await user.click(within(dialog).getByTestId('problem-report-save'));
    await waitFor(() => expect(fake.api.problemReportSave).toHaveBeenCalledTimes(1));
    expect(within(dialog).queryByTestId('problem-report-saved')).not.toBeInTheDocument();

    fake.fail('problemReportSave', err('internal', 'The report could not be written to /nowhere: permission denied'));
    await user.click(within(dialog).getByTestId('problem-report-save'));
    expect(await within(dialog).findByTestId('problem-report-error')).toHaveTextContent('permission denied');
    expect(within(dialog).getByTestId('problem-report-text')).toBeInTheDocument();
    expect(within(dialog).getByTestId('problem-report-save')).toBeEnabled();
  });

  it('a report that cannot be made can be asked for again', async () => {
    const fake = createFake({ profiles: [cloudProfile()] });
    fake.report = REPORT;
    fake.fail('problemReport', err('internal', 'The log could not be read.'));
    const { user } = renderApp(fake);
    const dialog = await openReport(fake);
    expect(await within(dialog).findByTestId('problem-report-error')).toHaveTextContent('The log could not be read.');
    expect(within(dialog).getByTestId('problem-report-save')).toBeDisabled();
    await user.click(within(dialog).getByTestId('retry-button'));
    expect((await within(dialog).findByTestId('problem-report-text')).textContent).toBe(REPORT.text);
  });

  it('every error shown is told to Rust once, for the log and the report', async () => {
    const fake = createFake({ profiles: [cloudProfile()] });
    fake.fail('problemReport', err('timeout', 'Hasura Cloud did not answer in time.'));
    renderApp(fake);
    const dialog = await openReport(fake);
    await within(dialog).findByTestId('problem-report-error');
    await waitFor(() =>
      expect(fake.notedErrors).toEqual([{ kind: 'timeout', message: 'Hasura Cloud did not answer in time.' }]),
    );
  });

  it('Help → Show Logs opens the log folder; a failure is announced', async () => {
    const fake = createFake({ profiles: [cloudProfile()] });
    renderApp(fake);
    await screen.findByTestId('shell');
    fake.menu('showLogs');
    await waitFor(() => expect(fake.logsShown).toBe(1));
    fake.fail('showLogs', err('internal', 'The log folder could not be opened: no file manager.'));
    fake.menu('showLogs');
    await waitFor(() => expect(screen.getByTestId('status-message')).toHaveTextContent('no file manager'));
  });
});
