"""Coarse groups over SIPRI-style weapon descriptions.

SIPRI writes "combat helicopter", "FGA aircraft", "SAM system"; comparing
claims, resolving "the helicopters" to an earlier Mi-171, or checking a
running total of "helicopters" needs the coarse group those belong to.
"""
from __future__ import annotations

import re
from functools import lru_cache

GROUPS = ("uav", "helicopter", "air defence", "radar/sensor", "missile", "ship", "artillery",
          "armoured vehicle", "engine", "aircraft", "other")

_RULES: list[tuple[str, re.Pattern]] = [
    # weapons against drones defend the air; they are not drones
    ("air defence", re.compile(r"counter-drone|counter-uas|counter-uav|anti-drone|c-uas")),
    ("uav", re.compile(r"\b(?:uav|uavs|drone|drones|unmanned|loitering|ucav|uas)\b")),
    ("helicopter", re.compile(r"helicopter|chopper|gunship|rotorcraft")),
    ("air defence", re.compile(r"\bsam\b|air[- ]defen[cs]e|anti-aircraft|surface-to-air|\bspaag\b|\bciws\b|"
                               r"\baa gun|\bmanpads\b|counter-drone|counter-uas|to counter drones")),
    ("radar/sensor", re.compile(r"radar|sensor|sonar|electro-optic|\beo\b|\bewr\b|surveillance system|"
                                r"targeting pod|reconnaissance pod|\bsigint\b|\belint\b|fire control")),
    ("missile", re.compile(r"missile|torpedo|\bsrbm\b|\bssm\b|\bbvraam\b|\bsraam\b|\basm\b|\bagm\b|\baam\b|"
                           r"guided bomb|guided rocket|rocket(?! launcher| system)|\batgm\b")),
    ("ship", re.compile(r"\bship|vessel|frigate|corvette|\bboat|submarine|destroyer|patrol craft|\bcraft\b|"
                        r"landing platform|\blpd\b|\blhd\b|cutter|minehunter|minesweeper|\bopv\b|tanker ship|"
                        r"aircraft carrier|\bfac\b|\bssk\b|\bssn\b|warship|\bcruiser")),
    ("artillery", re.compile(r"artillery|howitzer|\bgun\b|\bguns\b|mortar|rocket launcher|\bmrl\b|\bmlrs\b|"
                             r"rocket system|\bsp gun|self-propelled gun|towed gun")),
    ("armoured vehicle", re.compile(r"armou?red|\bapc\b|\bapcs\b|\bifv|\btank\b|\btanks\b|\bmrap|\baev\b|"
                                    r"\barv\b|\bapv\b|\bisv\b|fighting vehicle|personnel carrier|scout car|"
                                    r"reconnaissance vehicle|\bhumvee|\bhmmwv|tank destroyer|military vehicle|"
                                    r"tactical vehicle|light vehicle|\bvehicles?\b|\bltv\b")),
    ("engine", re.compile(r"\bengine|turbofan|turbojet|turboprop engine|turboshaft|diesel engine|gas turbine")),
    ("aircraft", re.compile(r"aircraft|\bjet|fighter|bomber|trainer|transport plane|\bplane|airplane|\bfga\b|"
                            r"\bmpa\b|\baew|tanker|airlifter|warplane|\basw aircraft")),
]


@lru_cache(maxsize=4096)
def category_group(category: str | None) -> str | None:
    """"combat helicopter" → "helicopter"; None stays None; unknown → "other"."""
    if not category:
        return None
    c = category.lower()
    for group, rx in _RULES:
        if rx.search(c):
            return group
    return "other"
