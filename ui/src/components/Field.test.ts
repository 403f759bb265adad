import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import FieldHarness from '../test/FieldHarness.svelte';

describe('Field', () => {
  it('labels the control and leaves it valid, described by its hint only', async () => {
    render(FieldHarness, { props: { hint: 'What it answers to.' } });
    const input = screen.getByLabelText("Pet's name");
    expect(input).toBe(screen.getByTestId('pet'));
    expect(input).toHaveAttribute('id', 'pet');
    expect(input).not.toHaveAttribute('aria-invalid');
    expect(input).toHaveAttribute('aria-describedby', 'pet-hint');
    expect(input).toHaveAccessibleDescription('What it answers to.');
    expect(screen.queryByTestId('pet-error')).not.toBeInTheDocument();

    // The control is the caller's: its binding works as usual.
    await userEvent.setup().type(input, 'Rex');
    expect(screen.getByTestId('pet-after')).toHaveTextContent('Rex');
  });

  it('shows an error under the control, marks it invalid and describes it by hint and error', () => {
    render(FieldHarness, { props: { hint: 'What it answers to.', error: 'Enter a name.' } });
    const input = screen.getByLabelText("Pet's name");
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAttribute('aria-describedby', 'pet-hint pet-error');
    expect(input).toHaveAccessibleDescription('What it answers to. Enter a name.');
    expect(screen.getByTestId('pet-error')).toHaveTextContent('Enter a name.');
    expect(screen.getByTestId('pet-error')).not.toHaveAttribute('role');
  });

  it('without a hint, is described by the error alone; an alert error has role=alert; "" is no error', async () => {
    const { rerender } = render(FieldHarness, { props: { error: 'Taken.', errorRole: 'alert' } });
    const input = screen.getByLabelText("Pet's name");
    expect(input).toHaveAttribute('aria-describedby', 'pet-error');
    expect(screen.getByRole('alert')).toHaveTextContent('Taken.');

    await rerender({ error: '' });
    expect(input).not.toHaveAttribute('aria-invalid');
    expect(input).not.toHaveAttribute('aria-describedby');
    expect(screen.queryByTestId('pet-error')).not.toBeInTheDocument();
  });
});
