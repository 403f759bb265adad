// First: the page's start time for the benchmark's start-up phases.
import './lib/page-start';
import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { createTauriApi } from './lib/api';

const app = mount(App, {
  target: document.getElementById('app')!,
  props: { api: createTauriApi() },
});

export default app;
