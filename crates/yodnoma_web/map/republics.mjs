// Writes the map of the statistics page as JSON on standard output: the outlines of the five
// Central Asian republics (and, clipped, of their neighbours for orientation) from Natural Earth
// 1:50m (world-atlas), in an Albers equal-area projection fitted to the five, so that shaded
// areas compare fairly. build.rs runs it once per build; nothing is fetched at run time.

import { readFileSync } from "node:fs";
import { geoAlbers, geoPath } from "d3-geo";
import { feature } from "topojson-client";

const WIDTH = 800;
const HEIGHT = 440;
// ISO 3166-1 numeric codes, as world-atlas names its countries.
const REPUBLICS = {
  "398": "kazakhstan",
  "860": "uzbekistan",
  "417": "kyrgyzstan",
  "762": "tajikistan",
  "795": "turkmenistan",
};
const NEIGHBOURS = ["643", "156", "004", "364", "496", "031", "586", "008", "268", "051"];

const topology = JSON.parse(
  readFileSync(new URL("./node_modules/world-atlas/countries-50m.json", import.meta.url)),
);
const countries = feature(topology, topology.objects.countries).features;
const five = countries.filter((c) => c.id in REPUBLICS);
if (five.length !== 5) {
  throw new Error(`world-atlas has ${five.length} of the five republics`);
}
const projection = geoAlbers()
  .rotate([-67, 0])
  .center([0, 44])
  .parallels([38, 50])
  .fitExtent(
    [
      [10, 10],
      [WIDTH - 10, HEIGHT - 10],
    ],
    { type: "FeatureCollection", features: five },
  )
  .clipExtent([
    [0, 0],
    [WIDTH, HEIGHT],
  ]);
const path = geoPath(projection).digits(1);
// The projection's parameters, for placing points (places of memory) at run time, and one point
// projected here, by which the server's own projection is tested.
const ALMATY = [76.9537, 43.2588];
const out = {
  source: "Natural Earth 1:50m admin 0 countries, world-atlas 2.0.2",
  width: WIDTH,
  height: HEIGHT,
  projection: {
    parallels: projection.parallels(),
    rotate: projection.rotate()[0],
    center: projection.center(),
    scale: projection.scale(),
    translate: projection.translate(),
    check: { lonlat: ALMATY, xy: projection(ALMATY) },
  },
  neighbours: countries.filter((c) => NEIGHBOURS.includes(c.id)).map((c) => path(c)).filter(Boolean),
  republics: five.map((c) => {
    const [x, y] = path.centroid(c);
    return { key: REPUBLICS[c.id], d: path(c), x: Math.round(x), y: Math.round(y) };
  }),
};
process.stdout.write(JSON.stringify(out));
