"""The workbench's JSON API and pages, through FastAPI's test client."""
from __future__ import annotations


import pytest
from fastapi.testclient import TestClient

from armsledger.api import Ledger
from armsledger.serve.web import create_app

from _webutil import TOKEN, build_ledger, hostile_article_id

AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture()
def env(tmp_path, ledger_db):
    """(client, db, articles) of the workbench over the example ledger, on each backend."""
    db, arts = build_ledger(tmp_path, ledger_db)
    client = TestClient(create_app(db, token=TOKEN))
    return client, db, arts


@pytest.fixture()
def readonly(tmp_path, monkeypatch):
    monkeypatch.delenv("ARMSLEDGER_TOKEN", raising=False)
    monkeypatch.delenv("ARMSLEDGER_TOKEN_FILE", raising=False)
    db, _ = build_ledger(tmp_path / "readonly")
    return TestClient(create_app(db))


def tucano(client) -> dict:
    deals = client.get("/api/deals", params={"recipient": "Ghana"}).json()["deals"]
    assert len(deals) == 1
    return client.get(f"/api/deals/{deals[0]['id']}").json()


def test_pages_answer_with_csp(env):
    client, _, _ = env
    deal = tucano(client)
    art = deal["claims"][0]["article"]["id"]
    for url in ("/", "/flows", "/review", "/audit", f"/deals/{deal['id']}", f"/articles/{art}",
                "/?supplier=BRA&stage=delivered&year_from=2020&year_to=2024&contradictions=true&sort=n_claims&order=asc",
                "/?review=unreviewed&q=tucano&outlet=Coastal+Daily+(example)", "/?reviewed_only=true"):
        r = client.get(url)
        assert r.status_code == 200, url
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "text/html" in r.headers["content-type"]
    assert client.get("/deals/nope").status_code == 404
    assert client.get("/articles/nope").status_code == 404
    assert client.get("/api/deals/nope").status_code == 404
    assert client.get("/openapi.json").json()["paths"]["/api/claims/{claim_id}/review"]["post"]


def test_ledger_filters_facets_and_paging(env):
    client, _, _ = env
    all_ = client.get("/api/deals").json()
    assert all_["total"] == 7
    assert client.get("/api/deals", params={"supplier": "Brazil"}).json()["total"] == 1
    assert client.get("/api/deals", params={"category": "helicopter"}).json()["total"] == 0
    assert client.get("/api/deals", params={"contradictions": "true"}).json()["total"] == 2
    assert client.get("/api/deals", params={"q": "tucano"}).json()["total"] == 1
    assert client.get("/api/deals", params={"q": "%"}).json()["total"] == 0  # LIKE wildcards are literal
    assert client.get("/api/deals", params={"year_from": 2023, "year_to": 2023}).json()["total"] >= 4
    assert client.get("/api/deals", params={"outlet": "Coastal Daily (example)"}).json()["total"] == 1
    page = client.get("/api/deals", params={"limit": 2, "offset": 2, "sort": "n_claims", "order": "desc"}).json()
    assert len(page["deals"]) == 2 and page["total"] == 7
    facets = client.get("/api/facets").json()
    assert {"supplier", "recipient", "cgroup", "stage", "year", "outlet"} <= set(facets)
    assert {"value": "BRA", "deals": 1} in facets["supplier"]
    flows = client.get("/api/flows").json()
    ghana = next(f for f in flows["flows"] if (f["supplier"], f["recipient"]) == ("BRA", "GHA"))
    row = client.get("/api/deals", params={"supplier": "BRA"}).json()["deals"][0]
    # one arrival told by two outlets counts once: the flow carries the ledger's own delivered count
    assert ghana["deals"] == 1 and ghana["units"] == row["quantity_delivered"] == 5


def test_deal_claims_carry_article_metadata(env):
    client, _, _ = env
    deal = tucano(client)
    assert deal["tranches"] and deal["orders"] and deal["contradictions"]
    for c in deal["claims"]:
        assert c["article"]["id"] and c["article"]["url"].startswith("https://")
        assert c["article"]["outlet"] and c["article"]["published"]
        assert c["review"]["status"] == "unreviewed"
    art = client.get(f"/api/articles/{deal['claims'][0]['article']['id']}").json()
    assert art["text"] and art["spans"]
    for s in art["spans"]:
        assert art["text"][s["start"]:s["end"]] == s["quote"]


def test_writes_need_a_token(env, readonly):
    client, _, _ = env
    cid = tucano(client)["claims"][0]["id"]
    body = {"action": "accept", "reviewer": "ann"}
    assert client.post(f"/api/claims/{cid}/review", json=body).status_code == 401
    assert client.post(f"/api/claims/{cid}/review", json=body,
                       headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert readonly.post(f"/api/claims/{cid}/review", json=body, headers=AUTH).status_code == 403
    assert readonly.post("/api/ingest", json={"articles": []}, headers=AUTH).status_code == 403
    page = readonly.get("/review").text
    assert "read-only" in page and "review-form" not in page
    r = client.post(f"/api/claims/{cid}/review", json={"action": "accept"}, headers=AUTH)
    assert r.status_code == 422  # a review names its reviewer


def test_token_file_names_the_reviewer(tmp_path, monkeypatch):
    monkeypatch.delenv("ARMSLEDGER_TOKEN", raising=False)
    db, _ = build_ledger(tmp_path)
    tf = tmp_path / "tokens"
    tf.write_text("# reviewers\nalice tok-alice\n", encoding="utf-8")
    client = TestClient(create_app(db, token_file=tf))
    cid = tucano(client)["claims"][0]["id"]
    r = client.post(f"/api/claims/{cid}/review", json={"action": "accept"},
                    headers={"Authorization": "Bearer tok-alice"})
    assert r.status_code == 200 and r.json()["reviewer"] == "alice"


def test_accept_correct_reject_change_the_ledger(env):
    client, db, _ = env
    deal = tucano(client)
    did = deal["id"]
    delivered = [c for c in deal["claims"] if c["stage"] == "delivered"]
    before = client.get("/api/deals", params={"recipient": "GHA"}).json()["deals"][0]
    assert before["quantity_delivered"] == 5 and before["n_reviewed"] == 0  # one arrival told twice counts once

    r = client.post(f"/api/claims/{delivered[0]['id']}/review", json={"action": "accept", "reviewer": "ann"}, headers=AUTH)
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    # correct the quantity of the other delivery
    other = delivered[1]
    r = client.post(f"/api/claims/{other['id']}/review", headers=AUTH,
                    json={"action": "correct", "reviewer": "ann", "fields": {"quantity": "1"}, "note": "typo"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "corrected" and r.json()["machine"] == {"quantity": other["quantity"]}
    row = client.get("/api/deals", params={"recipient": "GHA"}).json()["deals"][0]
    assert row["n_reviewed"] == 2
    assert row["quantity_delivered"] != before["quantity_delivered"]
    got = client.get(f"/api/claims/{other['id']}").json()
    assert got["quantity"] == 1 and got["review"]["fields"] == {"quantity": 1}

    # the reviewed-only ledger holds just the two reviewed claims
    rev = client.get("/api/deals", params={"reviewed_only": "true"}).json()
    assert rev["total"] == 1 and rev["deals"][0]["n_claims"] == 2

    # reject: the claim leaves the deal and shows as rejected
    r = client.post(f"/api/claims/{delivered[0]['id']}/review", json={"action": "reject", "reviewer": "bob"}, headers=AUTH)
    assert r.status_code == 200
    d2 = client.get(f"/api/deals/{did}").json()
    assert delivered[0]["id"] not in [c["id"] for c in d2["claims"]]
    assert [c["id"] for c in d2["rejected_claims"]] == [delivered[0]["id"]]
    assert client.get(f"/api/claims/{delivered[0]['id']}").json()["review"]["status"] == "rejected"
    # bad corrections are refused
    for fields in ({"stage": "sold"}, {"quantity": "many"}, {"date": "last year"}, {"nope": 1}):
        r = client.post(f"/api/claims/{other['id']}/review", headers=AUTH,
                        json={"action": "correct", "reviewer": "ann", "fields": fields})
        assert r.status_code == 422, fields

    audit = client.get("/api/audit").json()["audit"]
    assert [a["action"] for a in audit] == ["reject", "correct", "accept"]
    assert audit[1]["reviewer"] == "ann" and audit[1]["note"] == "typo"
    assert audit[1]["before"]["status"] == "unreviewed" and audit[1]["after"]["set"] == {"quantity": 1}
    led = Ledger(db)
    with pytest.raises(Exception):
        led.store._conn.execute("UPDATE review_audit SET reviewer='mallory'")
    with pytest.raises(Exception):
        led.store._conn.execute("DELETE FROM review_audit")


def test_correct_supplier_moves_claim_and_merge_and_move(env):
    client, _, _ = env
    deals = client.get("/api/deals", params={"recipient": "UKR"}).json()["deals"]
    assert len(deals) == 2
    nasams, m113 = sorted(deals, key=lambda d: d["family"] != "NASAMS")
    # moving a claim into another deal
    cid = client.get(f"/api/deals/{m113['id']}").json()["claims"][0]["id"]
    r = client.post(f"/api/claims/{cid}/review", headers=AUTH,
                    json={"action": "move", "reviewer": "ann", "deal_id": nasams["id"]})
    assert r.status_code == 200 and r.json()["deal"] == nasams["id"]
    assert client.get(f"/api/deals/{m113['id']}").status_code == 404
    assert cid in [c["id"] for c in client.get(f"/api/deals/{nasams['id']}").json()["claims"]]
    # correcting the supplier puts the claim in the deal its new identity names
    r = client.post(f"/api/claims/{cid}/review", headers=AUTH,
                    json={"action": "correct", "reviewer": "ann", "fields": {"supplier": "usa"}})
    assert r.status_code == 200
    moved = client.get(f"/api/claims/{cid}").json()
    assert moved["supplier"] == "USA" and moved["deal_id"] not in (nasams["id"], m113["id"])
    assert client.get("/api/deals", params={"supplier": "USA"}).json()["total"] == 1
    # merge two deals
    phl = client.get("/api/deals", params={"recipient": "PHL"}).json()["deals"]
    assert len(phl) == 2
    a, b = phl
    r = client.post(f"/api/deals/{a['id']}/merge", headers=AUTH, json={"into": b["id"], "reviewer": "ann"})
    assert r.status_code == 200, r.text
    after = client.get("/api/deals", params={"recipient": "PHL"}).json()
    assert after["total"] == 1 and after["deals"][0]["id"] == b["id"] and after["deals"][0]["n_claims"] == 2
    assert "merged into" in client.get(f"/deals/{a['id']}").text
    assert client.post(f"/api/deals/{b['id']}/merge", headers=AUTH,
                       json={"into": b["id"], "reviewer": "ann"}).status_code == 422


def test_ingest_endpoint_and_reextract(env):
    client, _, _ = env
    text = "Chad received two Mi-24 helicopters from Russia on Friday, the army said."
    r = client.post("/api/ingest", headers=AUTH, json={"articles": [
        {"text": text, "published": "2024-02-10", "outlet": "Test Wire", "url": "https://t.example/1"}]})
    assert r.status_code == 200 and r.json()["added"] == 1 and r.json()["claims"] >= 1
    assert client.get("/api/deals", params={"recipient": "TCD"}).json()["total"] == 1
    r = client.post("/api/ingest", headers=AUTH, json={"articles": [{"text": text}]})
    assert r.json()["skipped"] == 1
    r = client.post("/api/ingest", headers=AUTH, json={"articles": [{"text": text}], "reextract": True})
    assert r.json()["reextracted"] == 1
    r = client.post("/api/reextract", headers=AUTH, json={})
    assert r.status_code == 200 and r.json()["articles"] == 7


def test_hostile_article_is_escaped(env):
    client, _, _ = env
    aid = hostile_article_id(client)
    html = client.get(f"/articles/{aid}").text
    assert "<script>window" not in html and "<img src=x" not in html
    assert "&lt;script&gt;window.__xss=3&lt;/script&gt;" in html
    assert 'href="javascript:' not in html
    assert "<mark" in html
    deal_id = client.get("/api/deals", params={"recipient": "NER"}).json()["deals"][0]["id"]
    dhtml = client.get(f"/deals/{deal_id}").text
    assert "<script>window" not in dhtml and 'href="javascript:' not in dhtml and "<img src=x" not in dhtml
    assert "<img src=x" not in client.get("/").text  # outlet facet


def test_review_queue_orders_least_trustworthy_first(env):
    client, _, _ = env
    q = client.get("/api/review/queue", params={"limit": 100}).json()
    conf = [c["confidence"] for c in q["claims"]]
    assert conf == sorted(conf) and q["remaining"] == len(conf)
    first = q["claims"][0]
    r = client.post(f"/api/claims/{first['id']}/review", json={"action": "accept", "reviewer": "ann"}, headers=AUTH)
    assert r.status_code == 200
    q2 = client.get("/api/review/queue", params={"limit": 100}).json()
    assert q2["remaining"] == q["remaining"] - 1 and first["id"] not in [c["id"] for c in q2["claims"]]


def test_serve_command_runs_uvicorn(tmp_path, monkeypatch):
    import uvicorn
    from typer.testing import CliRunner

    from armsledger.serve.cli import app as cli_app

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, host, port, **kw: seen.update(app=app, host=host, port=port))
    monkeypatch.delenv("ARMSLEDGER_TOKEN", raising=False)
    r = CliRunner().invoke(cli_app, ["serve", "--db", str(tmp_path / "x.db"), "--host", "127.0.0.1", "--port", "8123"])
    assert r.exit_code == 0, r.output
    assert seen["port"] == 8123 and seen["host"] == "127.0.0.1" and "read-only" in r.output
    client = TestClient(seen["app"])
    assert client.get("/").status_code == 200 and client.get("/api/deals").json()["total"] == 0


def test_every_deal_and_article_page_renders(env):
    client, _, _ = env
    seen = set()
    for d in client.get("/api/deals").json()["deals"]:
        assert client.get(f"/deals/{d['id']}").status_code == 200
        for c in client.get(f"/api/deals/{d['id']}").json()["claims"]:
            seen.add(c["article"]["id"])
    assert len(seen) == 6
    for aid in seen:
        r = client.get(f"/articles/{aid}")
        assert r.status_code == 200 and "<mark" in r.text
