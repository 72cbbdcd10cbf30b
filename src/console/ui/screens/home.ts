import { h } from '../dom.js';
import { navHash, type Screen } from '../screen.js';

// The landing screen after sign-in: where to go next. A fallback, so a dashboard answering `#/` replaces it.

const strings = {
  en: {
    title: 'Home',
    intro: 'Manage this tenant’s projects, sign-in flows and face collections.',
    projects: 'Projects: branding, links and the hosted sign-in page',
    flows: 'Flows: how people log in or onboard, step by step',
    collections: 'Collections: groups of enrolled people, searched by face',
    persons: 'Persons: enrol by photo, search, import, delete',
  },
  es: {
    title: 'Inicio',
    intro: 'Gestione los proyectos, los flujos de acceso y las colecciones de rostros de este cliente.',
    projects: 'Proyectos: marca, enlaces y la página de acceso alojada',
    flows: 'Flujos: cómo las personas inician sesión o se registran, paso a paso',
    collections: 'Colecciones: grupos de personas inscritas, buscadas por rostro',
    persons: 'Personas: inscribir con fotos, buscar, importar, eliminar',
  },
};

export const screen: Screen = {
  route: /^#\/?$/,
  nav: 'home',
  fallback: true,
  render(ctx) {
    const s = ctx.text(strings);
    ctx.setTitle(s.title);
    ctx.root.append(
      h('h1', {}, s.title),
      h('p', {}, s.intro),
      h(
        'ul',
        {},
        h('li', {}, h('a', { href: navHash.projects }, s.projects)),
        h('li', {}, h('a', { href: navHash.flows }, s.flows)),
        h('li', {}, h('a', { href: navHash.collections }, s.collections)),
        h('li', {}, h('a', { href: navHash.persons }, s.persons)),
      ),
    );
  },
};
