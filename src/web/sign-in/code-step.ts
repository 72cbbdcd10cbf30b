// The hosted page's code steps (#16): an email or phone code before the face (ask for it, type it, ask again after
// the cooldown) and the authenticator code after it. The forms are in the server-rendered shell; this module
// validates what is typed, calls the API and says what went wrong next to the field (an aria-live region the field
// is described by), and moves the focus to each step's heading, then to its field. The page (main.ts) decides
// which step comes when.

import { ApiError, api, type CodeAddress, type CodeChannel, type CodeResult } from './api.js';
import { type Language, type MessageKey, t } from './i18n.js';

export interface CodeStepHost {
  lang(): Language;
  projectId: string;
  flowId: string;
  projectName: string;
  phoneGateway: 'sms' | 'whatsapp';
  resendSeconds: number;
  setStatus(key: MessageKey | null, vars?: Record<string, string | number>): void;
  /** The code passed (`otp` kept for a resubmission with the authenticator's code). */
  codeChecked(result: CodeResult, otp: string): void;
  /** The authenticator's code, to whichever call is due; resolves when the login is granted. */
  submitAuthenticator(code: string): Promise<void>;
  /** A failure the step cannot fix (the page shows its outcome). */
  failed(err: ApiError): void;
}

type Message = { key: MessageKey; vars?: Record<string, string | number> } | null;

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T | null;
const SIX_DIGITS = /^\d{6}$/;

/** Inline errors of the steps: shown next to the field; anything else is the page's outcome. */
const inlineKeys = new Set<MessageKey>([
  'invalid_otp',
  'otp_expired',
  'otp_already_used',
  'max_attempts_exceeded',
  'resend_cooldown',
  'transport_not_configured',
  'code_delivery_failed',
  'invalid_authenticator_otp',
  'authenticator_locked',
  'busy',
  'network',
]);

export function createCodeSteps(host: CodeStepHost) {
  const section = byId<HTMLElement>('code-step');
  const totpSection = byId<HTMLElement>('totp-step');
  const channel = (section?.dataset['channel'] === 'phone' ? 'phone' : 'email') as CodeChannel;
  const el = {
    title: byId('code-title'),
    addressForm: byId<HTMLFormElement>('address-form'),
    email: byId<HTMLInputElement>('email'),
    country: byId<HTMLInputElement>('country'),
    phone: byId<HTMLInputElement>('phone'),
    addressError: byId('address-error'),
    send: byId<HTMLButtonElement>('send-code'),
    codeForm: byId<HTMLFormElement>('code-form'),
    code: byId<HTMLInputElement>('code'),
    codeError: byId('code-error'),
    verify: byId<HTMLButtonElement>('verify-code'),
    resend: byId<HTMLButtonElement>('resend'),
    totpTitle: byId('totp-title'),
    totpLead: byId('totp-lead'),
    totpForm: byId<HTMLFormElement>('totp-form'),
    totp: byId<HTMLInputElement>('totp'),
    totpError: byId('totp-error'),
    verifyTotp: byId<HTMLButtonElement>('verify-totp'),
  };
  const errors: Record<'address' | 'code' | 'totp', Message> = { address: null, code: null, totp: null };
  let address: CodeAddress | null = null;
  let resendAt = 0;
  let resendTimer: ReturnType<typeof setInterval> | undefined;
  let busy = false;

  const fieldOf = (which: keyof typeof errors) =>
    which === 'address' ? (channel === 'email' ? el.email : el.phone) : which === 'code' ? el.code : el.totp;
  const errorNodeOf = (which: keyof typeof errors) =>
    which === 'address' ? el.addressError : which === 'code' ? el.codeError : el.totpError;

  function showError(which: keyof typeof errors, message: Message): void {
    errors[which] = message;
    const node = errorNodeOf(which);
    if (node) node.textContent = message ? t(host.lang(), message.key, message.vars) : '';
    const field = fieldOf(which);
    if (field) {
      if (message) field.setAttribute('aria-invalid', 'true');
      else field.removeAttribute('aria-invalid');
    }
  }

  function messageOf(err: unknown): Message | 'outcome' {
    if (!(err instanceof ApiError)) return { key: 'generic_text' };
    if (err.key === 'resend_cooldown') return { key: 'resend_cooldown', vars: { seconds: Number(err.detail) || 60 } };
    if (err.code === 'MissingParameter') {
      return { key: channel === 'email' ? 'address_invalid_email' : 'address_invalid_phone' };
    }
    return inlineKeys.has(err.key) ? { key: err.key } : 'outcome';
  }

  /** A button that keeps its place and the focus while a call is out, but does nothing. */
  function setBusy(on: boolean, button: HTMLButtonElement | null): void {
    busy = on;
    button?.setAttribute('aria-disabled', String(on));
  }

  function renderResend(): void {
    if (!el.resend) return;
    const left = Math.ceil((resendAt - Date.now()) / 1000);
    el.resend.setAttribute('aria-disabled', String(left > 0));
    el.resend.textContent = left > 0 ? t(host.lang(), 'resend_wait', { seconds: left }) : t(host.lang(), 'resend_code');
    if (left <= 0 && resendTimer !== undefined) {
      clearInterval(resendTimer);
      resendTimer = undefined;
    }
  }

  function startCooldown(seconds: number): void {
    resendAt = Date.now() + seconds * 1000;
    if (resendTimer !== undefined) clearInterval(resendTimer);
    resendTimer = setInterval(renderResend, 1000);
    renderResend();
  }

  function readAddress(): CodeAddress | null {
    if (channel === 'email') {
      const email = el.email?.value.trim() ?? '';
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? { email } : null;
    }
    const countryCode = (el.country?.value ?? '').replace(/[^\d+]/g, '');
    const phone = (el.phone?.value ?? '').replace(/[^\d]/g, '');
    return /^\+?\d{1,4}$/.test(countryCode) && phone.length >= 4 ? { countryCode, phone } : null;
  }

  const shown = (a: CodeAddress) => ('email' in a ? a.email : `${a.countryCode} ${a.phone}`);

  async function send(again: boolean): Promise<void> {
    if (busy) return;
    const target = again ? address : readAddress();
    if (!target) {
      showError('address', { key: channel === 'email' ? 'address_invalid_email' : 'address_invalid_phone' });
      fieldOf('address')?.focus();
      return;
    }
    showError('address', null);
    showError('code', null);
    setBusy(true, again ? el.resend : el.send);
    host.setStatus('code_sending');
    try {
      const sent = await api.sendCode(channel, {
        ...target,
        project: host.projectId,
        projectFlow: host.flowId,
        type: 'login',
        language: host.lang(),
        ...(channel === 'phone' ? { phoneGateway: host.phoneGateway } : {}),
      });
      address = target;
      const minutes = Math.max(1, Math.round((Date.parse(sent.expiresAt) - Date.now()) / 60_000));
      host.setStatus('code_sent', { address: shown(target), minutes });
      if (el.codeForm) el.codeForm.hidden = false;
      if (el.code) el.code.value = '';
      startCooldown(host.resendSeconds);
      el.code?.focus();
    } catch (err) {
      host.setStatus(null);
      const m = messageOf(err);
      if (m === 'outcome') {
        host.failed(err as ApiError);
        return;
      }
      showError(again ? 'code' : 'address', m);
      if (m?.key === 'resend_cooldown' && m.vars) startCooldown(Number(m.vars['seconds']));
      (again ? el.code : fieldOf('address'))?.focus();
    } finally {
      setBusy(false, again ? el.resend : el.send);
      renderResend();
    }
  }

  async function verify(): Promise<void> {
    if (busy || !address) return;
    const otp = (el.code?.value ?? '').replace(/\s/g, '');
    if (!SIX_DIGITS.test(otp)) {
      showError('code', { key: 'code_invalid_format' });
      el.code?.focus();
      return;
    }
    showError('code', null);
    setBusy(true, el.verify);
    host.setStatus('code_checking');
    try {
      const result = await api.checkCode(channel, {
        ...address,
        otp,
        project: host.projectId,
        projectFlow: host.flowId,
        type: 'login',
      });
      host.setStatus(null);
      host.codeChecked(result, otp);
    } catch (err) {
      host.setStatus(null);
      const m = messageOf(err);
      if (m === 'outcome') {
        host.failed(err as ApiError);
        return;
      }
      showError('code', m);
      el.code?.focus();
    } finally {
      setBusy(false, el.verify);
    }
  }

  async function verifyTotp(): Promise<void> {
    if (busy) return;
    const code = (el.totp?.value ?? '').replace(/\s/g, '');
    if (!SIX_DIGITS.test(code)) {
      showError('totp', { key: 'code_invalid_format' });
      el.totp?.focus();
      return;
    }
    showError('totp', null);
    setBusy(true, el.verifyTotp);
    host.setStatus('code_checking');
    try {
      await host.submitAuthenticator(code);
    } catch (err) {
      host.setStatus(null);
      const m = messageOf(err);
      if (m === 'outcome') {
        host.failed(err as ApiError);
        return;
      }
      showError('totp', m);
      if (el.totp) el.totp.value = '';
      el.totp?.focus();
    } finally {
      setBusy(false, el.verifyTotp);
    }
  }

  el.addressForm?.addEventListener('submit', (e) => {
    e.preventDefault();
    void send(false);
  });
  el.codeForm?.addEventListener('submit', (e) => {
    e.preventDefault();
    void verify();
  });
  el.resend?.addEventListener('click', () => {
    if (el.resend?.getAttribute('aria-disabled') === 'true') return;
    void send(true);
  });
  el.totpForm?.addEventListener('submit', (e) => {
    e.preventDefault();
    void verifyTotp();
  });
  // Only digits go in a code field (a pasted "123 456" included).
  for (const field of [el.code, el.totp]) {
    field?.addEventListener('input', () => {
      const digits = field.value.replace(/\D/g, '').slice(0, 6);
      if (digits !== field.value) field.value = digits;
    });
  }

  return {
    channel,
    /** Shows the code step, focus on its heading (a screen reader reads where the person is). */
    showCode(): void {
      if (section) section.hidden = false;
      if (totpSection) totpSection.hidden = true;
      if (el.codeForm) el.codeForm.hidden = address === null;
      el.title?.focus();
    },
    /** The authenticator step, after the face or a code. */
    showAuthenticator(): void {
      if (section) section.hidden = true;
      if (totpSection) totpSection.hidden = false;
      if (el.totp) el.totp.value = '';
      showError('totp', null);
      el.totpTitle?.focus();
    },
    hide(): void {
      if (section) section.hidden = true;
      if (totpSection) totpSection.hidden = true;
    },
    /** A magic link's address, so that a new code can be asked for from the same step. */
    setAddress(a: CodeAddress): void {
      address = a;
      if ('email' in a && el.email) el.email.value = a.email;
    },
    render(): void {
      for (const which of ['address', 'code', 'totp'] as const) showError(which, errors[which]);
      if (el.totpLead) el.totpLead.textContent = t(host.lang(), 'totp_lead', { project: host.projectName });
      renderResend();
    },
  };
}

export type CodeSteps = ReturnType<typeof createCodeSteps>;
