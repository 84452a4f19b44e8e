"""Checks IIIF Presentation API 3.0 manifests: against the models of iiif-prezi3 (PyPI), which are
generated from the official presentation-validator JSON Schema (iiif_3_0.json), and against
yodnoma's own requirements. Run by scripts/iiif-manifest-check, in the environment it makes.

  python3 iiif_manifest_check.py --server http://127.0.0.1:PORT   every exhibition's and exhibit's
                                                                 manifest, and a 404 for an unknown id
  python3 iiif_manifest_check.py --file a.json [--url URL] ...   local files (id compared with --url
                                                                 when given, with one file)
  python3 iiif_manifest_check.py --self-test                     a valid sample passes, broken ones fail

Prints one line per manifest, `OK URL` or `FAIL URL: error; error`, then a count; exits 1 if any
manifest fails. Importable: `manifest_errors(data, url=None)` returns the list of errors.
"""

import argparse
import copy
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

CONTEXT = "http://iiif.io/api/presentation/3/context.json"
LANGUAGES = ("ru", "kk", "uz", "en")
RIGHTS_PREFIXES = ("http://creativecommons.org/", "http://rightsstatements.org/")
MEDIA_TYPES = ("application/ld+json", "application/json")
MAX_SCHEMA_ERRORS = 8
TIMEOUT = 30

_manifest_model = None


def _model():
    """iiif-prezi3's Manifest model with its helpers switched off. The package registers
    "defaulters" on its classes that repair input while it is read (a missing `id` is invented,
    a string `label` becomes {"none": [...]}, a missing `items` becomes [], a lone `provider`
    object is wrapped in a list), which would hide exactly the mistakes a check is for."""
    global _manifest_model
    if _manifest_model is None:
        from iiif_prezi3 import Manifest
        from iiif_prezi3.base import Base

        seen, stack = set(), [Base]
        while stack:
            cls = stack.pop()
            if cls in seen:
                continue
            seen.add(cls)
            stack.extend(cls.__subclasses__())
            if "_defaulters" in cls.__dict__:
                cls.__dict__["_defaulters"].clear()
        _manifest_model = Manifest
        # Another version could repair input some other way: refuse to run rather than pass all.
        if not _schema_errors({"type": "Manifest"}):
            raise RuntimeError("iiif-prezi3 accepted a manifest without id, label and items")
    return _manifest_model


def _schema_errors(data):
    from pydantic import ValidationError

    try:
        _model().model_validate(data)
    except ValidationError as e:
        out = []
        for loc, msg in _prune_unions([(tuple(err["loc"]), err["msg"]) for err in e.errors(include_url=False)]):
            where = ".".join(str(p) for p in loc if not _is_tag(p)) or "(manifest)"
            line = f"schema: {where}: {msg}"
            if line not in out:
                out.append(line)
        if len(out) > MAX_SCHEMA_ERRORS:
            out = out[:MAX_SCHEMA_ERRORS] + [f"schema: ... {len(out) - MAX_SCHEMA_ERRORS} more"]
        return out
    return []


def _is_tag(segment):
    """A step of an error's location that names a branch of a union (`AnnotationBody`,
    `dict[...]`, `constrained-str`) rather than a property or an index."""
    return isinstance(segment, str) and segment != "[key]" and (
        segment[:1].isupper() or "[" in segment or "-" in segment
    )


def _prune_unions(errors):
    """pydantic reports every branch of a union that failed. Drops the branches whose `type` did
    not match (the input was plainly not meant to be one), and then the branches that failed on
    the input's shape alone while a sibling got further, so that the errors left are those of the
    branch the input was meant for. All are kept where this would leave none."""
    branches = {loc[: i + 1] for loc, _ in errors for i, p in enumerate(loc) if _is_tag(p)}
    wrong = {b for b in branches if any(loc == b + ("type",) for loc, _ in errors)}
    kept = [(loc, m) for loc, m in errors if not any(loc[: len(b)] == b for b in wrong)]
    deeper = {b[:-1] for b in branches - wrong if any(len(loc) > len(b) and loc[: len(b)] == b for loc, _ in kept)}
    shallow = {b for b in branches - wrong if b[:-1] in deeper
               and all(len(loc) == len(b) for loc, _ in kept if loc[: len(b)] == b)}
    kept = [(loc, m) for loc, m in kept if not any(loc[: len(b)] == b for b in shallow)]
    return kept or errors


def _is_http(value):
    return isinstance(value, str) and value.startswith(("http://", "https://"))


def _positive_int(value):
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _language_map(value, where, errors, languages=LANGUAGES):
    """A language map {"lang": ["text", ...]}: not empty, its keys among `languages` (any key when
    None), each value a non-empty list of non-empty strings."""
    if not isinstance(value, dict):
        errors.append(f"{where}: not a language map (an object of lists): {json.dumps(value)[:60]}")
        return
    if not value:
        errors.append(f"{where}: empty language map")
    for lang, texts in value.items():
        if languages is not None and lang not in languages:
            errors.append(f"{where}: language {lang!r} is not one of {'/'.join(languages)}")
        if not (isinstance(texts, list) and texts and all(isinstance(t, str) and t.strip() for t in texts)):
            errors.append(f"{where}.{lang}: not a non-empty list of non-empty strings")


def _bodies(annotation):
    body = annotation.get("body")
    bodies = body if isinstance(body, list) else [body] if body is not None else []
    out = []
    for b in bodies:
        if isinstance(b, dict) and b.get("type") == "Choice" and isinstance(b.get("items"), list):
            out.extend(b["items"])
        else:
            out.append(b)
    return out


def _target_id(target):
    if isinstance(target, dict):  # a SpecificResource
        target = target.get("source", target.get("id"))
        if isinstance(target, dict):
            target = target.get("id")
    return target.split("#", 1)[0] if isinstance(target, str) else None


def _painting(annotation):
    m = annotation.get("motivation")
    return m == "painting" or (isinstance(m, list) and "painting" in m)


def _canvas_errors(canvas, where, errors):
    if not isinstance(canvas, dict):
        errors.append(f"{where}: not an object")
        return
    if canvas.get("type") != "Canvas":
        errors.append(f"{where}.type: {canvas.get('type')!r}, not 'Canvas'")
    if not _is_http(canvas.get("id")):
        errors.append(f"{where}.id: not an http(s) URI")
    for dim in ("width", "height"):
        if not _positive_int(canvas.get(dim)):
            errors.append(f"{where}.{dim}: {canvas.get(dim)!r}, not a positive integer")
    if "label" in canvas:
        _language_map(canvas["label"], f"{where}.label", errors, None)
    pages = canvas.get("items")
    if not (isinstance(pages, list) and pages):
        errors.append(f"{where}.items: no annotation page")
        return
    paintings = 0
    for p, page in enumerate(pages):
        pw = f"{where}.items.{p}"
        if not isinstance(page, dict) or page.get("type") != "AnnotationPage":
            errors.append(f"{pw}: not an AnnotationPage")
            continue
        for a, annotation in enumerate(page.get("items") or []):
            aw = f"{pw}.items.{a}"
            if not isinstance(annotation, dict) or not _painting(annotation):
                continue
            paintings += 1
            if _target_id(annotation.get("target")) != canvas.get("id"):
                errors.append(f"{aw}.target: {annotation.get('target')!r} is not this Canvas")
            bodies = _bodies(annotation)
            if not bodies:
                errors.append(f"{aw}.body: missing")
            for b, body in enumerate(bodies):
                bw = f"{aw}.body" + (f".{b}" if len(bodies) > 1 else "")
                _body_errors(body, bw, errors)
    if paintings == 0:
        errors.append(f"{where}: no painting annotation")


def _body_errors(body, where, errors):
    if not isinstance(body, dict):
        errors.append(f"{where}: not an object")
        return
    if not _is_http(body.get("id")):
        errors.append(f"{where}.id: not an http(s) URI")
    if body.get("type") != "Image":
        errors.append(f"{where}.type: {body.get('type')!r}, not 'Image'")
    fmt = body.get("format")
    if not (isinstance(fmt, str) and "/" in fmt):
        errors.append(f"{where}.format: {fmt!r}, not a media type")
    elif fmt != "image/svg+xml":
        services = body.get("service")
        image3 = [
            s for s in (services if isinstance(services, list) else [])
            if isinstance(s, dict) and s.get("type") == "ImageService3"
        ]
        if not image3:
            errors.append(f"{where}.service: no ImageService3 (format {fmt})")
        for s in image3:
            if not _is_http(s.get("id")):
                errors.append(f"{where}.service: ImageService3 id {s.get('id')!r} is not an http(s) URI")
            if s.get("profile") not in ("level0", "level1", "level2"):
                errors.append(f"{where}.service: ImageService3 profile {s.get('profile')!r}")


def requirement_errors(data, url=None):
    """yodnoma's own requirements, beyond what the schema asks."""
    errors = []
    if not isinstance(data, dict):
        return ["manifest: not a JSON object"]
    if data.get("@context") != CONTEXT:
        errors.append(f"@context: {data.get('@context')!r}, not {CONTEXT!r}")
    if data.get("type") != "Manifest":
        errors.append(f"type: {data.get('type')!r}, not 'Manifest'")
    if url is not None and data.get("id") != url:
        errors.append(f"id: {data.get('id')!r}, not the URL fetched {url!r}")
    elif not _is_http(data.get("id")):
        errors.append(f"id: {data.get('id')!r}, not an http(s) URI")
    # The schema ignores properties it does not know, so a misspelt one would pass unnoticed.
    known = {f.alias or name for name, f in _model().model_fields.items()}
    unknown = sorted(set(data) - known)
    if unknown:
        errors.append(f"unknown properties of a Manifest: {', '.join(unknown)}")
    for key in ("label", "summary"):
        if key not in data:
            errors.append(f"{key}: missing")
        else:
            _language_map(data[key], key, errors)
    if "rights" in data and not (
        isinstance(data["rights"], str) and data["rights"].startswith(RIGHTS_PREFIXES)
    ):
        errors.append(f"rights: {data['rights']!r} is not a Creative Commons or RightsStatements.org http:// URI")
    for m, entry in enumerate(data.get("metadata") or []):
        if isinstance(entry, dict):
            _language_map(entry.get("label"), f"metadata.{m}.label", errors, None)
            _language_map(entry.get("value"), f"metadata.{m}.value", errors, None)
    if isinstance(data.get("requiredStatement"), dict):
        for key in ("label", "value"):
            _language_map(data["requiredStatement"].get(key), f"requiredStatement.{key}", errors, None)
    providers = data.get("provider")
    if not (isinstance(providers, list) and providers):
        errors.append("provider: missing (a list of Agents)")
    else:
        for p, agent in enumerate(providers):
            if not isinstance(agent, dict):
                errors.append(f"provider.{p}: not an object")
                continue
            if not _is_http(agent.get("id")):
                errors.append(f"provider.{p}.id: not an http(s) URI")
            if agent.get("type") != "Agent":
                errors.append(f"provider.{p}.type: {agent.get('type')!r}, not 'Agent'")
            if "label" not in agent:
                errors.append(f"provider.{p}.label: missing")
            else:
                _language_map(agent["label"], f"provider.{p}.label", errors)
    canvases = data.get("items")
    if not (isinstance(canvases, list) and canvases):
        errors.append("items: no Canvas (a Manifest must have at least one)")
        canvases = []
    ids = [c.get("id") for c in canvases if isinstance(c, dict)]
    if len(set(ids)) != len(ids):
        errors.append("items: Canvas ids repeat")
    for c, canvas in enumerate(canvases):
        _canvas_errors(canvas, f"items.{c}", errors)
    for r, rng in enumerate(data.get("structures") or []):
        if not isinstance(rng, dict):
            continue
        if "label" in rng:
            _language_map(rng["label"], f"structures.{r}.label", errors, None)
        for i, item in enumerate(rng.get("items") or []):
            if isinstance(item, dict) and item.get("type") == "Canvas" and item.get("id") not in ids:
                errors.append(f"structures.{r}.items.{i}: Canvas {item.get('id')!r} is not in items")
    return errors


def manifest_errors(data, url=None):
    """Every error of one manifest: the schema's, then yodnoma's."""
    return _schema_errors(data) + requirement_errors(data, url)


def report(name, errors):
    print(f"OK   {name}" if not errors else f"FAIL {name}: {'; '.join(errors)}", flush=True)
    return not errors


# --- server mode


def _get(url):
    """(status, headers, body bytes); an HTTP error status is returned, not raised."""
    request = urllib.request.Request(url, headers={"Accept": "application/ld+json, application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def _get_json(url):
    status, _, body = _get(url)
    if status != 200:
        raise RuntimeError(f"GET {url}: HTTP {status}")
    return json.loads(body)


def check_manifest_url(url):
    status, headers, body = _get(url)
    if status != 200:
        return [f"HTTP {status}"]
    errors = []
    media_type = (headers.get("Content-Type") or "").split(";", 1)[0].strip()
    if media_type not in MEDIA_TYPES:
        errors.append(f"Content-Type {headers.get('Content-Type')!r}, not {' or '.join(MEDIA_TYPES)}")
    if headers.get("Access-Control-Allow-Origin") is None:
        errors.append("no Access-Control-Allow-Origin header (viewers on other sites cannot load it)")
    try:
        data = json.loads(body)
    except ValueError as e:
        return errors + [f"not JSON: {e}"]
    return errors + manifest_errors(data, url)


def check_server(base):
    base = base.rstrip("/")
    exhibitions = [x["id"] for x in _get_json(f"{base}/api/v1/exhibitions")["items"]]
    exhibits = []
    for x in exhibitions:
        detail = _get_json(f"{base}/api/v1/exhibitions/{urllib.parse.quote(x, safe='')}")
        for section in detail.get("sections", []):
            for exhibit in section.get("exhibits", []):
                if exhibit["id"] not in exhibits:
                    exhibits.append(exhibit["id"])
    passed = failed = 0
    if not exhibitions or not exhibits:
        print(f"FAIL {base}: the server lists {len(exhibitions)} exhibitions and {len(exhibits)} exhibits; "
              "the check needs at least one of each", flush=True)
        failed += 1
    for kind, ids in (("exhibition", exhibitions), ("exhibit", exhibits)):
        for i in ids:
            url = f"{base}/iiif/3/manifests/{urllib.parse.quote(i, safe='')}"
            if report(f"{kind} {url}", check_manifest_url(url)):
                passed += 1
            else:
                failed += 1
    url = f"{base}/iiif/3/manifests/does-not-exist"
    status, _, _ = _get(url)
    if report(f"unknown {url}", [] if status == 404 else [f"HTTP {status}, not 404"]):
        passed += 1
    else:
        failed += 1
    return passed, failed


# --- self-test: the checks accept a valid manifest and refuse broken ones


def sample_manifest(base="http://127.0.0.1:8080"):
    """A valid manifest of the shape yodnoma serves: one raster image, one SVG placeholder."""
    mid = f"{base}/iiif/3/manifests/sample"
    langs = lambda t: {lang: [f"{t} ({lang})"] for lang in LANGUAGES}  # noqa: E731

    def canvas(n, body):
        cid = f"{mid}/canvas/{n}"
        return {
            "id": cid, "type": "Canvas", "label": langs("Canvas"), "width": 600, "height": 800,
            "items": [{
                "id": f"{cid}/page", "type": "AnnotationPage",
                "items": [{"id": f"{cid}/page/painting", "type": "Annotation",
                           "motivation": "painting", "body": body, "target": cid}],
            }],
        }

    service = [{"id": f"{base}/iiif/3/img1", "type": "ImageService3", "profile": "level2"}]
    return {
        "@context": CONTEXT,
        "id": mid,
        "type": "Manifest",
        "label": langs("Title"),
        "summary": langs("Summary"),
        "metadata": [{"label": langs("Date"), "value": {"none": ["1945"]}}],
        "requiredStatement": {"label": langs("Held by"), "value": langs("Museum")},
        "rights": "http://creativecommons.org/publicdomain/zero/1.0/",
        "provider": [{
            "id": f"{base}/", "type": "Agent", "label": langs("Museum"),
            "homepage": [{"id": f"{base}/", "type": "Text", "label": langs("Museum"), "format": "text/html"}],
        }],
        "homepage": [{"id": f"{base}/exhibits/sample", "type": "Text", "label": langs("Title"),
                      "format": "text/html"}],
        "thumbnail": [{"id": f"{base}/iiif/3/img1/full/!400,400/0/default.jpg", "type": "Image",
                       "format": "image/jpeg", "service": service}],
        "items": [
            canvas(0, {"id": f"{base}/iiif/3/img1/full/max/0/default.jpg", "type": "Image",
                       "format": "image/jpeg", "width": 600, "height": 800, "service": service}),
            canvas(1, {"id": f"{base}/media/img2", "type": "Image", "format": "image/svg+xml",
                       "width": 600, "height": 800}),
        ],
        "structures": [{"id": f"{mid}/range/0", "type": "Range", "label": langs("Section"),
                        "items": [{"id": f"{mid}/canvas/0", "type": "Canvas"},
                                  {"id": f"{mid}/canvas/1", "type": "Canvas"}]}],
    }


def _broken_samples():
    """(name, change, a piece of the error expected)."""
    def body(d):
        return d["items"][0]["items"][0]["items"][0]["body"]
    return [
        ("label a plain string", lambda d: d.update(label="Title"), "schema: label"),
        ("label {}", lambda d: d.update(label={}), "label: empty language map"),
        ("label in German", lambda d: d.update(label={"de": ["Titel"]}), "language 'de'"),
        ("summary missing", lambda d: d.pop("summary"), "summary: missing"),
        ("items missing", lambda d: d.pop("items"), "schema: items: Field required"),
        ("items empty", lambda d: d.update(items=[]), "items: no Canvas"),
        ("id missing", lambda d: d.pop("id"), "schema: id: Field required"),
        ("id relative", lambda d: d.update(id="/iiif/3/manifests/sample"), "schema: id: Input should be a valid URL"),
        ("@context of 2.x", lambda d: d.update({"@context": "http://iiif.io/api/presentation/2/context.json"}), "@context"),
        ("type Collection", lambda d: d.update(type="Collection"), "type: 'Collection'"),
        ("summary misspelt", lambda d: d.update(sumary=d.pop("summary")), "unknown properties of a Manifest: sumary"),
        ("rights not a URI", lambda d: d.update(rights="CC0"), "schema: rights"),
        ("rights https", lambda d: d.update(rights="https://creativecommons.org/publicdomain/zero/1.0/"), "rights:"),
        ("provider missing", lambda d: d.pop("provider"), "provider: missing"),
        ("provider an object", lambda d: d.update(provider=d["provider"][0]), "schema: provider: Input should be a valid list"),
        ("provider without id", lambda d: d["provider"][0].pop("id"), "schema: provider.0.id: Field required"),
        ("provider without label", lambda d: d["provider"][0].pop("label"), "provider.0.label: missing"),
        ("provider homepage an object", lambda d: d["provider"][0].update(homepage=d["homepage"][0]), "schema: provider.0.homepage"),
        ("requiredStatement a string", lambda d: d.update(requiredStatement="Museum"), "schema: requiredStatement"),
        ("metadata value a string", lambda d: d["metadata"][0].update(value="1945"), "schema: metadata.0.value"),
        ("thumbnail a string", lambda d: d.update(thumbnail=d["thumbnail"][0]["id"]), "schema: thumbnail: Input should be a valid list"),
        ("Canvas without width", lambda d: d["items"][0].pop("width"), "items.0.width: None, not a positive integer"),
        ("Canvas width a string", lambda d: d["items"][0].update(width="600"), "items.0.width: '600'"),
        ("Canvas without id", lambda d: d["items"][0].pop("id"), "schema: items.0.id: Field required"),
        ("AnnotationPage without items", lambda d: d["items"][0]["items"][0].pop("items"), "schema: items.0.items.0.items: Field required"),
        ("painting without target", lambda d: d["items"][0]["items"][0]["items"][0].pop("target"), "schema: items.0.items.0.items.0.target"),
        ("painting without body", lambda d: d["items"][0]["items"][0]["items"][0].pop("body"), "body: missing"),
        ("body without id", lambda d: body(d).pop("id"), "body.id: not an http(s) URI"),
        ("body type Picture", lambda d: body(d).update(type="Picture"), "body.type: 'Picture'"),
        ("body without format", lambda d: body(d).pop("format"), "body.format: None"),
        ("body without service", lambda d: body(d).pop("service"), "body.service: no ImageService3"),
        ("body service ImageService2", lambda d: body(d)["service"][0].update(type="ImageService2"), "no ImageService3"),
        ("body service an object", lambda d: body(d).update(service=body(d)["service"][0]), "schema: items.0.items.0.items.0.body"),
        ("Range names a Canvas not there", lambda d: d["structures"][0]["items"][0].update(id="http://x/c"), "structures.0.items.0"),
    ]


def self_test():
    failures = 0
    good = sample_manifest()
    errors = manifest_errors(good, good["id"])
    print(f"{'ok  ' if not errors else 'FAIL'} valid sample accepted" + (f": {'; '.join(errors)}" if errors else ""))
    failures += bool(errors)
    for name, change, expected in _broken_samples():
        data = copy.deepcopy(good)
        change(data)
        errors = manifest_errors(data, None)
        found = any(expected in e for e in errors)
        print(f"{'ok  ' if found else 'FAIL'} {name}: " + ("; ".join(errors) if errors else "accepted"))
        failures += not found
    total = 1 + len(_broken_samples())
    print(f"self-test: {total - failures} passed, {failures} failed")
    return failures == 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--server", metavar="BASE_URL", help="check the manifests of a running yodnoma")
    mode.add_argument("--file", nargs="+", metavar="FILE", help="check manifests in local JSON files")
    mode.add_argument("--self-test", action="store_true", help="check the checks on built-in samples")
    parser.add_argument("--url", help="with one --file: the URL it was served at, which its id must equal")
    args = parser.parse_args(argv)
    if args.self_test:
        return 0 if self_test() else 1
    if args.file:
        if args.url and len(args.file) != 1:
            parser.error("--url goes with a single --file")
        passed = failed = 0
        for path in args.file:
            try:
                with open(path, encoding="utf-8") as f:
                    data = json.load(f)
            except (OSError, ValueError) as e:
                ok = report(path, [f"cannot read: {e}"])
            else:
                ok = report(path, manifest_errors(data, args.url))
            passed, failed = passed + ok, failed + (not ok)
    else:
        passed, failed = check_server(args.server)
    print(f"manifests: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
