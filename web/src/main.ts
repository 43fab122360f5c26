import { mount } from 'svelte';
import App from './App.svelte';
import { startRouter } from './lib/router.svelte';
import './app.css';

startRouter();
const target = document.getElementById('app')!;
target.replaceChildren();
mount(App, { target });
