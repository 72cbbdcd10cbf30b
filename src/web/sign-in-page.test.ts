import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { contrast, readableOn, renderSignInPage, safeColour, safeUrl, textOn } from './sign-in-page.js';

const flow = {
  _id: '0123456789abcdef01234567',
  type: 'login' as const,
  status: 'active',
  redirectUrl: 'https://app.test/cb',
  loginSettings: { livenessMinScore: 0.6, livenessMode: 'passive' as const },
  onboardingSettings: { liveness: { livenessMinScore: 0.6 } },
};

describe('hosted page shell', () => {
  test('brand colours are used only when they are plainly colours', () => {
    assert.equal(safeColour('#0B4F8A'), '#0b4f8a');
    assert.equal(safeColour('rgb(10, 20, 30)'), 'rgb(10, 20, 30)');
    assert.equal(safeColour('teal'), 'teal');
    assert.equal(safeColour('red;}body{display:none'), null);
    assert.equal(safeColour('url(https://evil.test/x)'), null);
    assert.equal(textOn('#ffffff'), '#000000');
    assert.equal(textOn('#0b4f8a'), '#ffffff');
    assert.equal(safeUrl('javascript:alert(1)'), null);
    assert.equal(safeUrl('https://cdn.test/logo.png')?.origin, 'https://cdn.test');
  });

  test('what the project controls is escaped, and the branding style is allowed by its hash', () => {
    const page = renderSignInPage({
      assetBase: '/assets/sign-in/v1',
      modules: ['main.js', 'api.js'],
      lang: 'es',
      langExplicit: false,
      project: {
        _id: '0123456789abcdef01234568',
        name: '<script>alert(1)</script>',
        branding: { bgColor: '#fafafa', borderColor: 'expression(alert(1))', logo: 'https://cdn.test/l.png' },
        privacyUrl: 'javascript:alert(1)',
        termsAndConditionsUrl: 'https://acme.test/terms',
      },
      flow,
    });
    assert.doesNotMatch(page.html, /<script>alert/);
    assert.doesNotMatch(page.html, /javascript:/);
    assert.doesNotMatch(page.html, /expression/);
    assert.match(page.html, /<html lang="es">/);
    assert.match(page.html, /Inicia sesión con tu rostro/);
    assert.match(page.html, /<script type="module" src="\/assets\/sign-in\/v1\/main.js"><\/script>/);
    assert.match(page.html, /rel="modulepreload" href="\/assets\/sign-in\/v1\/api.js"/);
    assert.match(page.html, /href="https:\/\/acme.test\/terms"/);
    const style = /<style>(.*?)<\/style>/.exec(page.html)?.[1] ?? '';
    assert.equal(style, ':root{--bg:#fafafa}');
    assert.deepEqual(page.styleHashes, [`'sha256-${createHash('sha256').update(style).digest('base64')}'`]);
    assert.deepEqual(page.imageOrigins, ['https://cdn.test']);
    // The boot data cannot close its <script> element.
    const boot = /<script type="application\/json" id="facegate-boot">(.*?)<\/script>/s.exec(page.html)?.[1] ?? '';
    assert.equal(JSON.parse(boot).projectName, '<script>alert(1)</script>');
  });
});

test('issue #12: a light brand text colour on a light background is replaced by one that reads', () => {
  assert.equal(readableOn('#ffffff', '#f4f1ea'), '#000000');
  assert.equal(readableOn('#1d232b', '#f4f1ea'), '#1d232b');
  assert.equal(readableOn('#eeeeee', '#101418'), '#eeeeee');
  assert.ok((contrast('#000000', '#ffffff') ?? 0) > 20);
  const page = renderSignInPage({
    assetBase: '/a',
    modules: ['main.js'],
    lang: 'en',
    langExplicit: false,
    project: {
      _id: '0123456789abcdef01234567',
      name: 'Pale',
      branding: { txtColor: '#ffffff', titleColor: '#fafafa' },
      privacyUrl: null,
      termsAndConditionsUrl: null,
    },
    flow,
  });
  assert.match(page.html, /--text:#000000/);
  assert.doesNotMatch(page.html, /--text:#ffffff/);
  // The boot data carries the server's quality limits, and the get-ready screen is shown first.
  assert.match(page.html, /"rules":\{"limits":\{"minFaceSize":40/);
  assert.match(page.html, /data-state="get-ready"/);
});

test('issue #16: a flow with a code first opens on the code step, every field labelled, the code field one-time', () => {
  const project = {
    _id: '0123456789abcdef01234567',
    name: 'Shop',
    branding: {},
    privacyUrl: null,
    termsAndConditionsUrl: null,
  };
  const plan = {
    code: 'phone' as const,
    face: true,
    authenticator: true,
    phoneGateway: 'sms' as const,
    resendSeconds: 60,
    channels: ['phone' as const],
  };
  const page = renderSignInPage({
    assetBase: '/a',
    modules: ['main.js'],
    lang: 'es',
    langExplicit: true,
    project,
    flow: { ...flow, plan },
  });
  assert.match(page.html, /data-state="code"/);
  assert.match(page.html, /<section id="code-step"[^>]*data-channel="phone">/);
  assert.match(page.html, /<section id="get-ready"[^>]* hidden>/, 'no get-ready screen before the code');
  assert.match(page.html, /Primero, un código por mensaje de texto/);
  for (const id of ['country', 'phone', 'code', 'totp']) assert.match(page.html, new RegExp(`<label for="${id}"`));
  assert.match(page.html, /<input id="code"[^>]*inputmode="numeric" autocomplete="one-time-code"/);
  assert.match(page.html, /<input id="totp"[^>]*inputmode="numeric" autocomplete="one-time-code"/);
  assert.match(page.html, /<p id="code-error" class="field-error" aria-live="assertive">/);
  assert.match(page.html, /<section id="totp-step"[^>]* hidden>/);

  const link = renderSignInPage({
    assetBase: '/a',
    modules: ['main.js'],
    lang: 'en',
    langExplicit: false,
    project,
    flow: { ...flow, plan },
    magicLink: 'email',
  });
  assert.match(link.html, /data-state="magic"/);
  assert.match(link.html, /Checking your sign-in link…/);
  const plain = renderSignInPage({
    assetBase: '/a',
    modules: ['main.js'],
    lang: 'en',
    langExplicit: false,
    project,
    flow,
  });
  assert.match(plain.html, /data-state="get-ready"/);
  assert.match(plain.html, /<section id="code-step"[^>]* hidden>/);
});
