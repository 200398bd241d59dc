"""Store behaviour on hand-built lists: snapshots, idempotence, atomicity, as-of, migrations."""
from __future__ import annotations

import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_helpers import dump, make_list, smic, store, v1, v2  # noqa: F401 (store: fixture)

from earcheck.models import Address, Link, Party
from earcheck.store import LoadRefused, Store, StoreError, register_migration
from earcheck.store import migrations as mig
from earcheck.store.store import party_from_json, party_json


def test_default_path_is_under_earcheck_home(earcheck_home):
    s = Store()
    assert s.path.parent == earcheck_home
    assert s.path.exists()


def test_wal_mode_and_core_migration_recorded(store):
    conn = store.connect()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    assert store.migrations()[0] == "0001_store_snapshots_parties"


def test_load_round_trips_parties_exactly(store):
    parties = v1()
    res = store.load_parsed(make_list(parties, published="2022-05-01"))
    assert res.created
    snap = res.snapshot
    assert snap.total == 4 and snap.counts == {"DPL": 1, "EL": 2, "SDN": 1}
    assert snap.published == "2022-05-01" and len(snap.checksum) == 64
    assert snap.loaded_at.endswith("Z") and snap.loaded_at[:4] >= "2024"
    assert store.parties() == parties  # same objects back, same order
    assert store.party("e2").links[0].target_id == "e1"
    assert store.party("nope") is None


def test_same_checksum_creates_no_new_snapshot(store):
    first = store.load_parsed(make_list(v1()))
    again = store.load_parsed(make_list(v1()))
    assert not again.created
    assert again.snapshot.id == first.snapshot.id
    assert len(store.snapshots()) == 1


def test_old_snapshots_are_kept_and_current_is_newest(store):
    a = store.load_parsed(make_list(v1(), published="2022-05-01")).snapshot
    version_a = store.version()
    b = store.load_parsed(make_list(v2(), published="2023-01-01")).snapshot
    assert [s.id for s in store.snapshots()] == [a.id, b.id]
    assert [s.id for s in store.current_snapshots()] == [b.id]
    assert store.version() != version_a
    assert {p.id for p in store.parties()} == {p.id for p in v2()}
    assert {p.id for p in store.parties([a.id])} == {p.id for p in v1()}
    # the A-B-A case: reloading the old bytes (forced: they are older) makes them current again
    c = store.load_parsed(make_list(v1(), published="2022-05-01"), force=True)
    assert c.created and store.current_snapshots()[0].id == c.snapshot.id
    assert {p.id for p in store.parties()} == {p.id for p in v1()}


def test_datasets_are_versioned_independently(store):
    store.load_parsed(make_list(v1(), dataset="csl"))
    sdn = [Party(id="9", list_code="SDN", name="X")]
    store.load_parsed(make_list(sdn, dataset="ofac_sdn"))
    store.load_parsed(make_list(v2(), dataset="csl"))
    cur = store.current_snapshots()
    assert [s.dataset for s in cur] == ["csl", "ofac_sdn"]
    assert len(store.parties()) == len(v2()) + 1
    st_ = store.status()
    assert st_["total"] == len(v2()) + 1 and st_["snapshots"] == 3
    assert st_["counts"]["SDN"] == 1 and st_["counts"]["MEU"] == 1
    assert st_["version"] == store.version()


def test_version_is_stable_without_changes(store):
    store.load_parsed(make_list(v1()))
    assert store.version() == store.version() == Store(store.path).version()


def test_as_of_filters_with_active_on(store):
    store.load_parsed(make_list(v1()))
    ids_2015 = {p.id for p in store.parties(as_of="2015-06-01")}
    assert ids_2015 == {"d1"}  # SMIC not yet listed, DPL order in force
    ids_2021 = {p.id for p in store.parties(as_of="2021-06-01")}
    assert ids_2021 == {"e1", "e2"}  # DPL order expired 2020-01-01, SDN not yet listed
    assert {p.id for p in store.parties(as_of="2022-02-24")} == {"e1", "e2", "s1"}
    # same rule as the model itself
    for day in ("2009-12-31", "2020-01-01", "2020-12-18", "2030-01-01"):
        assert [p.id for p in store.parties(as_of=day)] == [p.id for p in v1() if p.active_on(day)]


def test_snapshots_as_of_picks_the_version_published_by_then(store):
    a = store.load_parsed(make_list(v1(), published="2022-05-01")).snapshot
    b = store.load_parsed(make_list(v2(), published="2023-01-01")).snapshot
    assert [s.id for s in store.snapshots_as_of("2022-12-31")] == [a.id]
    assert [s.id for s in store.snapshots_as_of("2023-01-01")] == [b.id]
    assert store.snapshots_as_of("2021-01-01") == []


def test_party_prefers_current_then_newest_and_history(store):
    store.load_parsed(make_list(v1()))
    store.load_parsed(make_list(v2()))
    # s1 was removed in v2: still retrievable from the old snapshot
    assert store.party("s1").name == "IVANOV, Ivan"
    assert store.party("e1").aliases == ["SMIC Shanghai", "SMIC", "SMIC Corp"]
    assert store.party("e1", snapshot_id=1).aliases == ["SMIC", "SMIC Shanghai"]
    hist = store.party_history("e1")
    assert [s.id for s, _ in hist] == [1, 2]


def test_parse_error_before_load_touches_nothing(store, tmp_path):
    store.load_parsed(make_list(v1()))
    before = dump(store)
    bad = tmp_path / "bad.csv"
    bad.write_text("this is not a list\n")
    with pytest.raises(ValueError):  # ListFormatError (from the parser)
        store.load(bad)
    assert dump(store) == before


def test_failure_mid_transaction_rolls_back_everything(store):
    store.load_parsed(make_list(v1()))
    before = dump(store)
    broken = v2()
    broken[3].name = None  # NOT NULL violation on the 4th row, after 3 rows were inserted
    with pytest.raises(StoreError, match="NOT NULL"):
        store.load_parsed(make_list(broken))
    assert dump(store) == before
    # several lists in one transaction: the good one is not stored either
    with pytest.raises(StoreError):
        store.load_many([make_list(v2(), dataset="other"), make_list(broken)])
    assert dump(store) == before


def test_unserialisable_party_fails_before_locking(store):
    store.load_parsed(make_list(v1()))
    before = dump(store)
    p = Party(id="x", list_code="EL", name="X", extra={"bad": object()})
    with pytest.raises(TypeError):
        store.load_parsed(make_list([p]))
    assert dump(store) == before


def test_corrupt_db_file_gives_one_line_error(tmp_path):
    path = tmp_path / "corrupt.sqlite"
    path.write_bytes(b"this is definitely not sqlite" * 100)
    with pytest.raises(StoreError) as e:
        Store(path)
    msg = str(e.value)
    assert msg.startswith(str(path)) and "not a valid SQLite store" in msg and "\n" not in msg


def test_truncated_db_file_is_detected(tmp_path):
    path = tmp_path / "s.sqlite"
    s = Store(path)
    s.load_parsed(make_list(v1() * 200, tag="big"))
    conn = s.connect()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(StoreError, match=str(path)):
        Store(path).parties()


def test_foreign_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not an earcheck store"):
        Store(path)


def test_register_migration_applies_once_in_order(tmp_path, monkeypatch):
    monkeypatch.setattr(mig, "_registry", list(mig.CORE_MIGRATIONS))
    register_migration("0100_review_cases", "CREATE TABLE cases (id INTEGER PRIMARY KEY, name TEXT);"
                                            "CREATE INDEX cases_name ON cases(name);")
    register_migration("0100_review_cases", "CREATE TABLE cases (id INTEGER PRIMARY KEY, name TEXT);"
                                            "CREATE INDEX cases_name ON cases(name);")  # idempotent
    with pytest.raises(ValueError):
        register_migration("0100_review_cases", "CREATE TABLE other (x)")
    s = Store(tmp_path / "m.sqlite")
    assert s.migrations() == ["0001_store_snapshots_parties", "0100_review_cases"]
    with s.connect() as conn:
        conn.execute("INSERT INTO cases(name) VALUES ('a')")
    # reopening does not re-run it (the row survives) and a later migration is added
    register_migration("0101_audit", "CREATE TABLE audit (id INTEGER PRIMARY KEY, what TEXT)")
    s2 = Store(tmp_path / "m.sqlite")
    assert s2.migrations()[-1] == "0101_audit"
    assert s2.connect().execute("SELECT count(*) FROM cases").fetchone()[0] == 1


def test_failing_migration_is_rolled_back(tmp_path, monkeypatch):
    monkeypatch.setattr(mig, "_registry", list(mig.CORE_MIGRATIONS))
    register_migration("0200_half", "CREATE TABLE half_done (x); CREATE TABLE broken (;")
    with pytest.raises(StoreError):
        Store(tmp_path / "f.sqlite")
    conn = sqlite3.connect(tmp_path / "f.sqlite")
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "half_done" not in names
    assert [r[0] for r in conn.execute("SELECT name FROM _migrations")] == ["0001_store_snapshots_parties"]


def test_split_statements_keeps_semicolons_in_strings():
    sql = "INSERT INTO t VALUES ('a;b'); CREATE TABLE u (x);\n"
    assert mig.split_statements(sql) == ["INSERT INTO t VALUES ('a;b');", "CREATE TABLE u (x);"]
    trig = ("CREATE TABLE a (x); CREATE TRIGGER a_no_delete BEFORE DELETE ON a "
            "BEGIN SELECT RAISE(ABORT, 'append-only; no deletes'); END; CREATE TABLE b (y);")
    parts = mig.split_statements(trig)
    assert len(parts) == 3 and parts[1].endswith("END;")


def test_connect_gives_other_layers_a_working_connection(store):
    store.load_parsed(make_list([smic()]))
    with store.connect() as conn:
        n = conn.execute("SELECT count(*) FROM parties WHERE id = 'e1'").fetchone()[0]
    assert n == 1


_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)
_opt = st.none() | _text
_party = st.builds(
    Party,
    id=_text.filter(bool), list_code=st.sampled_from(["EL", "SDN", "DPL", "XX"]), name=_text,
    kind=st.sampled_from(["person", "organization", "vessel", "aircraft"]),
    aliases=st.lists(_text, max_size=3),
    addresses=st.lists(st.builds(Address, text=_text, city=_opt, country=_opt), max_size=2),
    countries=st.lists(_text, max_size=2), federal_register=_opt, start_date=_opt, end_date=_opt,
    remarks=_opt, links=st.lists(st.builds(Link, kind=_text, target_name=_text, target_id=_opt,
                                           percent=st.none() | st.floats(0, 100)), max_size=2),
    extra=st.dictionaries(_text, _text | st.integers() | st.lists(_text, max_size=2), max_size=3),
    list_name=st.sampled_from(["", "Entity List (EL) - Bureau of Industry and Security", "Custom"]),
    source_ids=st.lists(_text, max_size=2),
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(_party)
def test_party_json_round_trip(p):
    assert party_from_json(party_json(p)) == p


# -- the guard against replacing a list by a much smaller or older one ------------------------


def _many(n: int, start: int = 1) -> list[Party]:
    return [Party(id=str(i), list_code="SDN", name=f"PARTY {i}") for i in range(start, start + n)]


def test_smaller_list_is_refused_unless_forced(store):
    big = store.load_parsed(make_list(_many(10), published="2022-05-01")).snapshot
    before = dump(store)
    with pytest.raises(LoadRefused, match="suspiciously small list: 4 parties against 10"):
        store.load_parsed(make_list(_many(4, start=20), published="2025-06-01"))
    assert dump(store) == before
    assert store.current_snapshots()[0].id == big.id
    forced = store.load_parsed(make_list(_many(4, start=20), published="2025-06-01"), force=True)
    assert forced.created and store.current_snapshots()[0].id == forced.snapshot.id


def test_older_publication_is_refused_unless_forced(store):
    store.load_parsed(make_list(v2(), published="2023-01-01"))
    before = dump(store)
    with pytest.raises(LoadRefused, match=r"older list: published 2022-05-01, before .*2023-01-01"):
        store.load_parsed(make_list(v1(), published="2022-05-01"))
    assert dump(store) == before
    # a newer one, and another dataset, load normally
    assert store.load_parsed(make_list(v1(), published="2024-01-01")).created
    assert store.load_parsed(make_list(_many(1), dataset="ofac_sdn", published="2019-01-01")).created


def test_undated_list_with_lower_sequential_ids_is_refused(store):
    """OFAC files carry no date; ent_num is assigned in sequence, so a lower highest id means
    an older publication."""
    store.load_parsed(make_list(_many(10, start=100), dataset="ofac_sdn"))
    with pytest.raises(LoadRefused, match="newest entry id is 90, below 109"):
        store.load_parsed(make_list(_many(8, start=83), dataset="ofac_sdn"))
    assert store.load_parsed(make_list(_many(8, start=105), dataset="ofac_sdn")).created


def test_refusal_in_a_batch_stores_nothing(store):
    store.load_parsed(make_list(_many(10), published="2022-05-01"))
    before = dump(store)
    with pytest.raises(LoadRefused):
        store.load_many([make_list(_many(1), dataset="other"),
                         make_list(_many(2), published="2022-06-01")])
    assert dump(store) == before


# -- one entry in two current datasets: the newer one is served ---------------------------------


def test_sample_stops_being_current_once_a_full_list_is_loaded(store):
    sample = store.load_parsed(make_list([smic()], dataset="sample", published="2022-04-21")).snapshot
    assert [s.id for s in store.current_snapshots()] == [sample.id]
    v_sample = store.version()
    csl = store.load_parsed(make_list(v1(), published="2022-05-01")).snapshot
    assert [s.id for s in store.current_snapshots()] == [csl.id]
    assert [s.id for s in store.superseded()] == [sample.id]
    assert [p.id for p in store.parties()] == [p.id for p in v1()]  # SMIC once
    assert store.parties([sample.id]) == [smic()]  # still stored
    assert store.version() != v_sample
    assert store.status()["superseded"][0]["dataset"] == "sample"


def test_entry_in_two_datasets_is_served_from_the_newer(store):
    old = store.load_parsed(make_list(v1(), dataset="csl", published="2022-05-01")).snapshot
    version_one = store.version()
    newer = [smic(license_policy="Case by case"), Party(id="x1", list_code="SDN", name="Y")]
    new = store.load_parsed(make_list(newer, dataset="other", published="2024-01-01")).snapshot
    assert store.version() != version_one
    got = store.parties()
    assert [p.id for p in got].count("e1") == 1
    assert next(p for p in got if p.id == "e1").license_policy == "Case by case"
    assert len(got) == len(v1()) + 1
    assert store.shadowing() == [{"dataset": "csl", "snapshot_id": old.id, "shadowed_by": "other",
                                  "by_snapshot_id": new.id, "parties": 1, "counts": {"EL": 1}}]
    assert store.status()["counts"]["EL"] == 2 and store.status()["total"] == len(got)
    # same list code, different list: not a duplicate
    assert {("EL", "e1"), ("SDN", "s1"), ("SDN", "x1")} <= {(p.list_code, p.id) for p in got}


def test_older_published_dataset_is_the_one_shadowed(store):
    newer = store.load_parsed(make_list(v2(), dataset="a", published="2024-01-01")).snapshot
    older = store.load_parsed(make_list(v1(), dataset="b", published="2022-01-01")).snapshot
    sh = store.shadowing()
    assert [(x["snapshot_id"], x["by_snapshot_id"]) for x in sh] == [(older.id, newer.id)]
    e1 = [p for p in store.parties() if p.id == "e1"]
    assert len(e1) == 1 and e1[0].aliases == v2()[0].aliases


def test_id_less_records_are_matched_by_list_code_and_name(store):
    from earcheck.lists.common import name_key, stable_id

    name = "Acme  Widgets Trading Co."
    idless = Party(id=stable_id("EL", name_key(name)), list_code="EL", name=name)
    store.load_parsed(make_list([Party(id="7f3", list_code="EL", name="ACME WIDGETS TRADING CO"),
                                 Party(id="8", list_code="EL", name="Other")], dataset="a",
                                published="2022-01-01"))
    store.load_parsed(make_list([idless], dataset="b", published="2024-01-01"))
    assert sorted(p.name for p in store.parties()) == [name, "Other"]
