import { mount } from 'svelte';
import { startRouter } from '$shared/router.svelte';
import App from './App.svelte';
import '$shared/app.css';
import './admin.css';

// Only /admin and below: every other link (the storefront, /.auth, /api) loads as a page.
startRouter(/^\/admin(\/|$)/);
const target = document.getElementById('app')!;
target.replaceChildren();
mount(App, { target });
