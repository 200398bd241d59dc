"""Party kind (person / organization / vessel / aircraft) from the CSL ``type`` or the name.

BIS and State rows (EL, DPL, UVL, MEU, ISN, DTC) have an empty ``type``. Denial and debarment
lists (DPL, DTC) are mostly individuals: a name is a person there unless it reads as an
organisation. On the other lists a name is an organisation unless it is clearly a person
(``SURNAME, Given`` form, "individual" in the entry, or a title / date of birth).
"""
from __future__ import annotations

import re
from functools import lru_cache

TYPE_KINDS = {
    "individual": "person",
    "person": "person",
    "entity": "organization",
    "organization": "organization",
    "company": "organization",
    "vessel": "vessel",
    "aircraft": "aircraft",
    "airplane": "aircraft",
}

_ORG_WORDS = re.compile(
    r"\b(co|corp|corporation|company|companies|ltd|limited|llc|l\.l\.c|inc|incorporated|gmbh|"
    r"group|trading|traders|industr\w*|enterprises?|international|intl|airlines?|airways|"
    r"aviation|air|aero\w*|technolog\w*|tech|electronics?|electric|institute|university|academy|"
    r"cent(?:er|re)|bank|holdings?|services?|systems?|import|export|exports|foundation|"
    r"organi[sz]ation|ministry|department|plant|factory|s\.?a|fz[ce]|fzco|jsc|ojsc|cjsc|ooo|"
    r"pjsc|llp|plc|ag|bv|b\.v|nv|bhd|pvt|pte|srl|s\.r\.l|sarl|associates|shipping|logistics|"
    r"engineering|research|laborator\w*|lab|products|solutions|global|partners|agency|bureau|"
    r"office|committee|council|general|supply|supplies|equipment|instruments?|machinery|works|"
    r"establishment|firm|store|marine|network|networks|communications?|commercial|development|"
    r"manufactur\w*|energy|oil|petro\w*|chemicals?|pharma\w*|steel|metals?|motors?|cargo|"
    r"express|freight|forwarding|consult\w*|investments?|capital|fund|trust|society|union|"
    r"association|ventures?|media|science|sciences|scientific|software|devices|components|"
    r"exchange|imp|exp|branch|brigade|regiment|army|navy|force|forces|guard|corps|"
    r"authority|administration|commission|directorate|organisation|party|front|movement|"
    r"army|brothers|sons|y cia|cia|limitada|ltda|sociedad|societe|company's|trade|computers?|"
    r"technik|technics|airs?|net|com)\b|&",
    re.I,
)
_SURNAME_GIVEN = re.compile(r"^[A-Z][A-Za-z'\-]+(?: [A-Z][A-Za-z'\-]+)?, [A-Z][a-z]+(?: [A-Z][a-z.]*)*$")
_PERSON_LISTS = {"DPL", "DTC"}


@lru_cache(maxsize=32768)
def guess_kind(name: str, list_code: str, type_: str = "", has_person_data: bool = False) -> str:
    """The kind of a listed party from the publisher's type, else from the name and the list."""
    t = type_.strip().lower()
    if t in TYPE_KINDS:
        return TYPE_KINDS[t]
    if has_person_data:
        return "person"
    if re.search(r"\bindividual\b", name, re.I):
        return "person"
    if _ORG_WORDS.search(name) or any(ch.isdigit() for ch in name):
        return "organization"
    if list_code in _PERSON_LISTS:
        return "person"
    if _SURNAME_GIVEN.match(name):
        return "person"
    return "organization"
