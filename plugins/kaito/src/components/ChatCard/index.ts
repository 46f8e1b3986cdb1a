// One module (one lazy chunk) for the card and the tab: they share everything but their frame.
export { EntityKaitoChatCard } from './EntityKaitoChatCard';
export { EntityKaitoChatContent } from '../ChatContent/EntityKaitoChatContent';
