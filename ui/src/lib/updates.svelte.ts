// App updates: a quiet check at start (when the preference allows), a check on request, and an
// install only when the person asks. The download is verified in Rust before anything changes.
import { asApiError, type Api, type ApiError, type UpdateInfo, type UpdateProgress } from './types';

export type UpdatePhase = 'idle' | 'checking' | 'upToDate' | 'available' | 'installing' | 'failed';

export class Updates {
  phase = $state<UpdatePhase>('idle');
  info = $state<UpdateInfo | null>(null);
  progress = $state<UpdateProgress | null>(null);
  error = $state<ApiError | null>(null);
  checkAtStart = $state(true);
  /** The dialog (Help → Check for Updates…) is open. */
  dialogOpen = $state(false);
  /** The banner was put away with "Later" for this version. */
  dismissed = $state<string | null>(null);

  constructor(private readonly api: Api) {}

  /** At start: reads the preference, then checks quietly; a failure shows nothing. */
  async start(): Promise<void> {
    try {
      this.checkAtStart = (await this.api.getPreferences()).checkUpdatesAtStart;
    } catch {
      return;
    }
    if (this.checkAtStart) await this.check({ quiet: true });
  }

  async check({ quiet = false } = {}): Promise<void> {
    if (this.phase === 'checking' || this.phase === 'installing') return;
    this.phase = 'checking';
    this.error = null;
    try {
      this.info = await this.api.updateCheck();
      this.phase = this.info ? 'available' : 'upToDate';
    } catch (e) {
      this.info = null;
      this.error = quiet ? null : asApiError(e);
      this.phase = quiet ? 'idle' : 'failed';
    }
  }

  async install(): Promise<void> {
    if (!this.info || this.phase === 'installing') return;
    this.phase = 'installing';
    this.error = null;
    this.progress = null;
    try {
      await this.api.updateInstall((p) => (this.progress = p));
    } catch (e) {
      this.error = asApiError(e);
      this.phase = 'failed';
    }
  }

  async setCheckAtStart(on: boolean): Promise<void> {
    const before = this.checkAtStart;
    this.checkAtStart = on;
    try {
      this.checkAtStart = (await this.api.setPreferences({ checkUpdatesAtStart: on })).checkUpdatesAtStart;
    } catch (e) {
      this.checkAtStart = before;
      this.error = asApiError(e);
    }
  }

  /** The banner or the dialog is on screen (the page loads their component only then). */
  get onScreen(): boolean {
    return this.bannerVisible || this.dialogOpen;
  }

  /** Show the banner: an update is known and was not put away, or an install is under way or failed. */
  get bannerVisible(): boolean {
    if (this.dialogOpen) return false;
    if (this.phase === 'installing') return true;
    if (this.phase === 'failed') return this.info !== null;
    return this.phase === 'available' && this.info !== null && this.dismissed !== this.info.version;
  }

  later(): void {
    if (this.info) this.dismissed = this.info.version;
    if (this.phase === 'failed') this.phase = 'available';
  }
}

/** "Downloading 3.2 of 10.5 MB (30%)", "Installing…", "Restarting…". */
export function progressText(p: UpdateProgress | null): string {
  if (!p) return 'Starting the download…';
  if (p.phase === 'installing') return 'Installing…';
  if (p.phase === 'restarting') return 'Restarting…';
  const mb = (n: number) => (n / 1_000_000).toFixed(1);
  if (p.total) return `Downloading ${mb(p.downloaded)} of ${mb(p.total)} MB (${Math.floor((100 * p.downloaded) / p.total)}%)`;
  return `Downloading ${mb(p.downloaded)} MB…`;
}
