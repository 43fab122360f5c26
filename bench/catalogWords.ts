/** The bench catalog's vocabulary: its products' names, descriptions and tags, and the searches made of them. */
export const ADJECTIVES = ['Aurora', 'Drift', 'Ember', 'Tempo', 'Nimbus', 'Vista', 'Keystone', 'Glide', 'Clarity', 'Slate', 'Folio', 'Pulse', 'Prism', 'Volt', 'Meridian', 'Vector', 'Quartz', 'Harbor', 'Summit', 'Cobalt'];
export const NOUNS = ['Headphones', 'Earbuds', 'Speaker', 'Soundbar', 'Laptop', 'Monitor', 'Keyboard', 'Mouse', 'Webcam', 'Tablet', 'Reader', 'Smartwatch', 'Camera', 'Charger', 'Router', 'Controller', 'Lamp', 'Kettle', 'Fan', 'Heater'];
export const WORDS = ['wireless', 'portable', 'compact', 'quiet', 'bright', 'fast', 'durable', 'slim', 'smart', 'classic', 'travel', 'desk', 'home', 'office', 'gaming', 'studio', 'outdoor', 'kitchen', 'premium', 'everyday'];
export const TAGS = ['audio', 'computers', 'home', 'office', 'gaming', 'travel', 'kitchen', 'cameras'];
