// The preload of the kiosk window. It runs sandboxed with context isolation, so the page gets a
// structured-clone proxy of `kiosk` and never sees ipcRenderer, Node or Electron.
import { contextBridge, ipcRenderer } from 'electron';
import { createKioskBridge } from './kiosk-bridge.preload.ts';

contextBridge.exposeInMainWorld('kiosk', createKioskBridge(ipcRenderer));
