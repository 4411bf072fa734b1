import { WorkspaceSettingsPatch, type WorkspaceSettingsView } from '@hourglass/contract';
import { useState } from 'react';
import { useSaveWorkspaceSettings } from '../../api/settings';
import { cardState, SettingsCard, TextField, useSaveState, zodErrors } from './form';

/** A number field's text as a number; blank or garbage becomes NaN so validation names the field. */
const toNumber = (v: string) => (v.trim() === '' ? Number.NaN : Number(v));

/** Quiet hours (SMS) and frequency caps (marketing, across journeys). */
export function SendingRulesCard({ view, readOnly }: { view: WorkspaceSettingsView; readOnly: boolean }) {
  const save = useSaveWorkspaceSettings();
  const state = useSaveState();
  const [start, setStart] = useState(view.quietHours.start);
  const [end, setEnd] = useState(view.quietHours.end);
  const [emailHours, setEmailHours] = useState(String(view.frequencyCaps.emailHours));
  const [smsHours, setSmsHours] = useState(String(view.frequencyCaps.smsHours));
  const submit = () => {
    const patch = {
      quietHours: { start, end },
      frequencyCaps: { emailHours: toNumber(emailHours), smsHours: toNumber(smsHours) },
    };
    const parsed = WorkspaceSettingsPatch.safeParse(patch);
    if (!parsed.success) return state.setErrors(zodErrors(parsed.error));
    save.mutate(parsed.data, { onSuccess: state.succeeded, onError: state.failed });
  };
  return (
    <SettingsCard
      title="Sending rules"
      description="Marketing texts wait out quiet hours in each customer's own time zone (never dropped). Frequency caps skip a marketing message sent too soon after the previous one, across all journeys; 0 turns a cap off."
      onSubmit={submit}
      {...cardState(save, state, readOnly)}
    >
      <fieldset className="settings-row">
        <legend>SMS quiet hours</legend>
        <TextField
          label="Quiet from"
          type="time"
          value={start}
          onChange={state.edit(setStart)}
          error={state.errors['quietHours.start']}
        />
        <TextField
          label="Quiet until"
          type="time"
          value={end}
          onChange={state.edit(setEnd)}
          error={state.errors['quietHours.end']}
        />
      </fieldset>
      <fieldset className="settings-row">
        <legend>Frequency caps</legend>
        <TextField
          label="Hours between marketing emails"
          type="number"
          min={0}
          max={720}
          step={1}
          value={emailHours}
          onChange={state.edit(setEmailHours)}
          error={state.errors['frequencyCaps.emailHours']}
        />
        <TextField
          label="Hours between marketing texts"
          type="number"
          min={0}
          max={720}
          step={1}
          value={smsHours}
          onChange={state.edit(setSmsHours)}
          error={state.errors['frequencyCaps.smsHours']}
        />
      </fieldset>
    </SettingsCard>
  );
}

/** The brand in the email layout: name, accent colour, logo and postal address (footer). */
export function BrandCard({ view, readOnly }: { view: WorkspaceSettingsView; readOnly: boolean }) {
  const save = useSaveWorkspaceSettings();
  const state = useSaveState();
  const [name, setName] = useState(view.brand.name);
  const [color, setColor] = useState(view.brand.color);
  const [logoUrl, setLogoUrl] = useState(view.brand.logoUrl ?? '');
  const [address, setAddress] = useState(view.brand.address);
  const [supportEmail, setSupportEmail] = useState(view.brand.supportEmail);
  const submit = () => {
    const patch = {
      brand: {
        name: name.trim(),
        color: color.trim(),
        logoUrl: logoUrl.trim() || null,
        address: address.trim(),
        supportEmail: supportEmail.trim(),
      },
    };
    const parsed = WorkspaceSettingsPatch.safeParse(patch);
    if (!parsed.success) return state.setErrors(zodErrors(parsed.error));
    save.mutate(parsed.data, { onSuccess: state.succeeded, onError: state.failed });
  };
  return (
    <SettingsCard
      title="Brand layout"
      description="Used by every email's layout; the address goes in the footer, as anti-spam laws require."
      onSubmit={submit}
      {...cardState(save, state, readOnly)}
    >
      <TextField
        label="Brand name"
        value={name}
        onChange={state.edit(setName)}
        error={state.errors['brand.name']}
      />
      <TextField
        label="Accent colour"
        value={color}
        onChange={state.edit(setColor)}
        placeholder="#4f46e5"
        error={state.errors['brand.color']}
      />
      <TextField
        label="Logo URL"
        type="url"
        value={logoUrl}
        onChange={state.edit(setLogoUrl)}
        placeholder="https://…/logo.png"
        error={state.errors['brand.logoUrl']}
      />
      <TextField
        label="Postal address"
        value={address}
        onChange={state.edit(setAddress)}
        error={state.errors['brand.address']}
      />
      <TextField
        label="Support email"
        type="email"
        value={supportEmail}
        onChange={state.edit(setSupportEmail)}
        placeholder="support@shop.example"
        error={state.errors['brand.supportEmail']}
      />
    </SettingsCard>
  );
}
