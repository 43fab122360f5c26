/**
 * The demo catalog an empty store starts with (seedCatalog.ts), locally and on Azure.
 *
 * All product names, descriptions and prices are invented for this demo;
 * they do not describe real brands or products. Each product has a matching
 * hand-drawn illustration at web/public/images/<id>.svg, which the site serves
 * as /images/<id>.svg (the Static Web App on Azure, Vite or the SWA CLI locally).
 */

export interface DemoProduct {
  /** Stable slug id, /^[a-z0-9-]{3,40}$/. */
  id: string;
  /** Display name, at most 80 characters. */
  name: string;
  /** 1-3 sentences of plain text, 60..400 characters. */
  description: string;
  /** Price in integer cents. */
  priceCents: number;
  /** Units on hand, integer 0..500. */
  stock: number;
  /** 2..4 lowercase tags. */
  tags: string[];
  /** Relative URL of the product illustration: "/images/<id>.svg". */
  imageUrl: string;
}

export const demoCatalog: readonly DemoProduct[] = [
  {
    id: "aurora-headphones",
    name: "Aurora Wireless Headphones",
    description:
      "Over-ear headphones with cushioned ear cups and active noise reduction. Up to 30 hours of playback per charge, with a fold-flat design for travel.",
    priceCents: 14999,
    stock: 42,
    tags: ["audio", "wireless"],
    imageUrl: "/images/aurora-headphones.svg",
  },
  {
    id: "drift-earbuds",
    name: "Drift True Wireless Earbuds",
    description:
      "Compact in-ear buds with touch controls and a pocket-sized charging case. The case holds three extra charges for a full day of listening.",
    priceCents: 8999,
    stock: 95,
    tags: ["audio", "wireless", "mobile"],
    imageUrl: "/images/drift-earbuds.svg",
  },
  {
    id: "ember-speaker",
    name: "Ember Portable Bluetooth Speaker",
    description:
      "A splash-resistant speaker with a fabric grille and a carry strap. Pairs in seconds and plays for up to 12 hours on a single charge.",
    priceCents: 6999,
    stock: 0,
    tags: ["audio", "wireless", "home"],
    imageUrl: "/images/ember-speaker.svg",
  },
  {
    id: "tempo-soundbar",
    name: "Tempo Home Theater Soundbar",
    description:
      "A slim soundbar that sits under most TVs and fills the room with clearer dialogue. Connects over HDMI or optical, with a night mode for quiet listening.",
    priceCents: 24999,
    stock: 15,
    tags: ["audio", "home"],
    imageUrl: "/images/tempo-soundbar.svg",
  },
  {
    id: "nimbus-laptop-14",
    name: "Nimbus 14-inch Laptop",
    description:
      "A lightweight 14-inch laptop with 16 GB of memory and a 512 GB solid-state drive. The backlit keyboard and all-day battery suit work, study and travel.",
    priceCents: 104900,
    stock: 12,
    tags: ["computing", "mobile"],
    imageUrl: "/images/nimbus-laptop-14.svg",
  },
  {
    id: "vista-monitor-27",
    name: "Vista 27-inch QHD Monitor",
    description:
      "A 27-inch 2560x1440 display with thin bezels and a height-adjustable stand. A 144 Hz refresh rate keeps scrolling and games smooth.",
    priceCents: 32999,
    stock: 18,
    tags: ["computing", "home", "gaming"],
    imageUrl: "/images/vista-monitor-27.svg",
  },
  {
    id: "keystone-keyboard",
    name: "Keystone Mechanical Keyboard",
    description:
      "A tenkeyless mechanical keyboard with tactile switches and white backlighting. The detachable USB-C cable makes it easy to pack.",
    priceCents: 7999,
    stock: 65,
    tags: ["computing", "accessories", "gaming"],
    imageUrl: "/images/keystone-keyboard.svg",
  },
  {
    id: "glide-mouse",
    name: "Glide Wireless Mouse",
    description:
      "An ergonomic wireless mouse with a quiet scroll wheel and adjustable tracking speed. Runs for months on one AA battery.",
    priceCents: 2999,
    stock: 120,
    tags: ["computing", "accessories", "wireless"],
    imageUrl: "/images/glide-mouse.svg",
  },
  {
    id: "clarity-webcam",
    name: "Clarity 1080p Webcam",
    description:
      "A 1080p webcam with automatic light correction and a built-in privacy shutter. The flexible clip fits laptops and monitors alike.",
    priceCents: 5999,
    stock: 74,
    tags: ["computing", "accessories", "photo"],
    imageUrl: "/images/clarity-webcam.svg",
  },
  {
    id: "slate-tablet-11",
    name: "Slate 11-inch Tablet",
    description:
      "An 11-inch tablet with a bright, sharp screen and 128 GB of storage. Great for streaming, sketching and reading on the couch.",
    priceCents: 44900,
    stock: 27,
    tags: ["mobile", "computing"],
    imageUrl: "/images/slate-tablet-11.svg",
  },
  {
    id: "folio-ereader",
    name: "Folio E-Reader",
    description:
      "A glare-free 6-inch e-ink reader with an adjustable warm front light. Holds thousands of books and lasts weeks between charges.",
    priceCents: 11999,
    stock: 50,
    tags: ["mobile", "reading"],
    imageUrl: "/images/folio-ereader.svg",
  },
  {
    id: "pulse-smartwatch",
    name: "Pulse Smartwatch",
    description:
      "A smartwatch with an always-on display, step and sleep tracking, and phone notifications on your wrist. The soft silicone band is easy to swap.",
    priceCents: 19999,
    stock: 4,
    tags: ["mobile", "wearable", "wireless"],
    imageUrl: "/images/pulse-smartwatch.svg",
  },
  {
    id: "prism-mirrorless-camera",
    name: "Prism Mirrorless Camera",
    description:
      "A compact 24-megapixel mirrorless camera with a 15-45 mm kit lens and 4K video. A flip-out screen helps with selfies and low-angle shots.",
    priceCents: 89900,
    stock: 3,
    tags: ["photo", "travel"],
    imageUrl: "/images/prism-mirrorless-camera.svg",
  },
  {
    id: "volt-charger-65w",
    name: "Volt 65W USB-C Charger",
    description:
      "A compact two-port USB-C wall charger that can power a laptop and a phone at the same time. Folding prongs keep it bag-friendly.",
    priceCents: 3999,
    stock: 200,
    tags: ["mobile", "accessories"],
    imageUrl: "/images/volt-charger-65w.svg",
  },
  {
    id: "meridian-router",
    name: "Meridian Wi-Fi 6 Router",
    description:
      "A dual-band Wi-Fi 6 router with four adjustable antennas and four gigabit Ethernet ports. Set it up from your phone in a few minutes.",
    priceCents: 15999,
    stock: 33,
    tags: ["home", "wireless", "networking"],
    imageUrl: "/images/meridian-router.svg",
  },
  {
    id: "vector-controller",
    name: "Vector Wireless Game Controller",
    description:
      "A wireless controller with textured grips, responsive triggers and a rechargeable battery. Works with PCs and most mobile devices.",
    priceCents: 5999,
    stock: 80,
    tags: ["gaming", "wireless", "accessories"],
    imageUrl: "/images/vector-controller.svg",
  },
];
