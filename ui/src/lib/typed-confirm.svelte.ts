// The state of a "type the name to confirm" dialog (see TypedConfirm.svelte) and its one submit:
// a complaint about the typed name (invalidInput on confirmName) goes under the field, any other
// error to the dialog.
import { asApiError, type ApiError } from './types';

export class TypedConfirmState {
  typed = $state('');
  busy = $state(false);
  fieldError = $state<string | null>(null);
  error = $state.raw<ApiError | null>(null);

  async submit(action: (confirmName: string) => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = null;
    this.fieldError = null;
    try {
      await action(this.typed);
    } catch (err) {
      const ae = asApiError(err);
      if (ae.kind === 'invalidInput' && ae.field === 'confirmName') this.fieldError = ae.message;
      else this.error = ae;
    } finally {
      this.busy = false;
    }
  }
}
