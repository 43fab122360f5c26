import { mount } from 'svelte';
import App from './App.svelte';
import { startAdminRouter } from './lib/router';
import '../../src/app.css';
import './admin.css';

startAdminRouter();
const target = document.getElementById('app')!;
target.replaceChildren();
mount(App, { target });
