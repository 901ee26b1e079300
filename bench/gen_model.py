#!/usr/bin/env python3
"""Writes a deterministic, portfolio-sized noharm model for benchmarks.

    bench/gen_model.py OUT_DIR [--elements N] [--flows M] [--seed S]

The model is a hospital portfolio: many clinical AI systems' parts in one
model, with a realistic mix of element kinds, lifecycle stages, tech tags,
trust boundaries (organisation, networks, clouds, vendors), data
classifications, controls and harms. It is split into several files joined
with `include`, each well under the 16 MB limit of one model file.
"""

import argparse
import json
import os
import random

KINDS = [("process", 35), ("store", 20), ("model", 15), ("external", 20), ("actor", 10)]
STAGES = ["ingestion", "preprocessing", "training", "validation", "registry", "deployment",
          "inference", "retrieval", "review", "action", "monitoring", "logging", "backup", "export"]
TECH = ["llm", "rag", "agent", "classifier", "regression", "imaging", "speech-to-text",
        "embedding", "vector-store", "tool", "rules", "etl", "api", "web", "mobile", "device"]
CLASSES = ["phi", "pii", "deidentified", "clinical-output", "model-artifact", "credentials",
           "internal", "public"]
CONTROLS = ["encryption-at-rest", "encryption-in-transit", "mfa", "rbac", "audit-logging",
            "input-validation", "output-filtering", "phi-redaction", "data-provenance",
            "model-signing", "change-approval", "drift-monitoring", "human-review",
            "rate-limiting", "network-segmentation", "vendor-assessment", "backup",
            "secrets-management", "tool-confirmation", "retrieval-access-control"]
PROTOCOLS = ["https", "hl7v2", "fhir", "dicom", "sftp", "grpc", "jdbc", "amqp", "mqtt", "http"]
SEVERITIES = ["negligible", "minor", "serious", "critical", "catastrophic"]
MODES = ["wrong-output", "no-output", "disclosure"]


def weighted(rng, pairs):
    total = sum(weight for _, weight in pairs)
    pick = rng.uniform(0, total)
    for value, weight in pairs:
        pick -= weight
        if pick <= 0:
            return value
    return pairs[-1][0]


def generate(n_elements, n_flows, seed):
    rng = random.Random(seed)
    n_systems = max(1, n_elements // 25)

    harms = []
    for i in range(n_systems * 2):
        harms.append({
            "id": f"harm-{i}",
            "description": f"Patient harm scenario {i}",
            "severity": rng.choice(SEVERITIES),
            "modes": sorted(set(rng.sample(MODES, rng.randint(1, 2)))),
        })

    data = []
    for i in range(n_systems * 4):
        data.append({"id": f"data-{i}", "classification": rng.choice(CLASSES),
                     "records": rng.randint(100, 5_000_000)})

    boundaries = [{"id": "hospital", "kind": "organization", "name": "Hospital"}]
    for i in range(max(1, n_systems // 4)):
        boundaries.append({"id": f"net-{i}", "kind": "network", "parent": "hospital"})
    for i in range(max(1, n_systems // 3)):
        boundaries.append({"id": f"vendor-{i}", "kind": "vendor", "vendor": f"Vendor {i}"})
        boundaries.append({"id": f"cloud-{i}", "kind": "cloud", "parent": f"vendor-{i}"})

    elements = []
    used_harms = set()
    used_data = set()
    for i in range(n_elements):
        system = i % n_systems
        kind = weighted(rng, KINDS)
        element = {"id": f"e{i}", "kind": kind, "name": f"Component {i} of system {system}",
                   "boundary": rng.choice(boundaries)["id"]}
        if kind != "actor":
            element["stage"] = rng.choice(STAGES)
        if kind in ("process", "model"):
            element["tech"] = sorted(set(rng.sample(TECH, rng.randint(1, 3))))
            element["exposure"] = rng.choice(["internet", "partner", "internal", "isolated"])
        if kind == "model":
            element["updates"] = rng.choice(["pinned", "reviewed", "automatic"])
        element["controls"] = sorted(set(rng.sample(CONTROLS, rng.randint(0, 4))))
        system_data = [f"data-{system * 4 + k}" for k in range(4)]
        if kind == "store":
            element["stores"] = sorted(set(rng.sample(system_data, rng.randint(1, 2))))
            used_data.update(element["stores"])
        elif kind in ("process", "model"):
            element["processes"] = sorted(set(rng.sample(system_data, rng.randint(0, 2))))
            used_data.update(element["processes"])
        if kind in ("process", "actor") and rng.random() < 0.25:
            harm = f"harm-{system * 2 + rng.randint(0, 1)}"
            element["drives"] = [harm]
            used_harms.add(harm)
        if kind == "actor" and rng.random() < 0.6:
            element["reviews_output"] = True
        elements.append(element)

    # Every harm and data asset used, so the model checks without warnings.
    for i, harm in enumerate(harms):
        if harm["id"] not in used_harms:
            target = elements[(i * 7919) % n_elements]
            target.setdefault("drives", []).append(harm["id"])
    for i, asset in enumerate(data):
        if asset["id"] not in used_data:
            target = elements[(i * 104729) % n_elements]
            if target["kind"] == "store":
                target.setdefault("stores", []).append(asset["id"])
            else:
                target.setdefault("processes", []).append(asset["id"])

    flows = []
    connected = set()
    for j in range(n_flows):
        if j < n_elements:
            # A chain through each system first, so every element has a flow.
            a = j
            b = (j + n_systems) % n_elements if (j + n_systems) < n_elements else (j + 1) % n_elements
        else:
            a = rng.randrange(n_elements)
            system = a % n_systems
            if rng.random() < 0.85:
                b = system + n_systems * rng.randrange(max(1, n_elements // n_systems))
                b = b if b < n_elements else rng.randrange(n_elements)
            else:
                b = rng.randrange(n_elements)
        if a == b:
            b = (b + 1) % n_elements
        connected.update((a, b))
        system = a % n_systems
        flow = {"id": f"f{j}", "from": f"e{a}", "to": f"e{b}",
                "data": sorted(set(rng.sample([f"data-{system * 4 + k}" for k in range(4)],
                                              rng.randint(0, 2)))),
                "protocol": rng.choice(PROTOCOLS)}
        if rng.random() < 0.8:
            flow["authenticated"] = rng.random() < 0.7
            flow["encrypted"] = rng.random() < 0.75
        flows.append(flow)

    return {"harms": harms, "data": data, "boundaries": boundaries,
            "elements": elements, "flows": flows}


def write(out_dir, model, parts):
    os.makedirs(out_dir, exist_ok=True)
    includes = []
    for section in ("elements", "flows"):
        items = model.pop(section)
        chunk = (len(items) + parts - 1) // parts
        for k in range(parts):
            name = f"{section}-{k}.json"
            with open(os.path.join(out_dir, name), "w") as f:
                json.dump({"noharm": 1, section: items[k * chunk:(k + 1) * chunk]}, f,
                          separators=(",", ":"))
            includes.append(name)
    root = {"noharm": 1, "include": includes,
            "system": {"id": "portfolio", "name": "Hospital AI portfolio",
                       "intended_use": "Every clinical AI system of a large hospital, modelled together",
                       "clinical_use": "decision-support", "regulated": "samd"}}
    root.update(model)
    with open(os.path.join(out_dir, "model.json"), "w") as f:
        json.dump(root, f, separators=(",", ":"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir")
    parser.add_argument("--elements", type=int, default=5000)
    parser.add_argument("--flows", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    model = generate(args.elements, args.flows, args.seed)
    write(args.out_dir, model, parts=max(1, args.elements // 5000))


if __name__ == "__main__":
    main()
