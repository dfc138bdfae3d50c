/**
 * Renderer entry. Loaded as an external module script: the CSP allows no
 * inline script, so nothing runs from index.html itself.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { config as zodConfig } from 'zod';
import { App } from './App';
import { WarRoom } from './warroom/WarRoom';
import { isWarRoom } from './warroom/params';
import './styles.css';

// The contract's schemas come along with the client; zod would probe `new Function` (a CSP violation report) before its first object parse.
zodConfig({ jitless: true });

document.documentElement.dataset.appState = 'loading';
const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    {isWarRoom(window.location.search) ? <WarRoom /> : <App />}
  </StrictMode>,
);
