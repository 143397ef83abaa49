#!/usr/bin/env python3
"""Generate armsledger/data/countries.jsonl from the tables below.

The generated file is committed; this script only needs the standard library.
Run it again after editing the tables:

    python scripts/build_countries.py            # writes armsledger/data/countries.jsonl
    python scripts/build_countries.py --check    # exits 1 if the file is out of date

Each row of STATES is  CODE|status|Name|other names|demonyms|capitals
(lists separated by ';'). `status` is one of member (UN member), observer
(UN observer state), other (Taiwan, Kosovo) or historical.

Generic armed-forces phrases ("Malian army", "Ukraine's armed forces",
"Royal Thai Navy", "Armed Forces of the Philippines") are NOT listed here:
the gazetteer derives them at load time from every name and demonym.
Only specific force names (Bundeswehr, IDF, FAMa, ...) go in FORCES.

Deliberately absent (ambiguous): "Korea"/"Korean" alone, "IAF", "PAF", "AFP",
"RSAF", "SAF", "Brussels" (usually means the EU), "Malé", "Victoria",
"San José", "English", "Emirates" (the airline), "Ministry of Defence".
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "armsledger" / "data" / "countries.jsonl"

STATES = """
AFG|member|Afghanistan|Islamic Emirate of Afghanistan|Afghan|Kabul
ALB|member|Albania||Albanian|Tirana
DZA|member|Algeria||Algerian|Algiers
AND|member|Andorra||Andorran|Andorra la Vella
AGO|member|Angola||Angolan|Luanda
ATG|member|Antigua and Barbuda|Antigua|Antiguan;Barbudan|
ARG|member|Argentina|Argentine Republic|Argentine;Argentinian|Buenos Aires
ARM|member|Armenia||Armenian|Yerevan
AUS|member|Australia|Commonwealth of Australia|Australian|Canberra
AUT|member|Austria||Austrian|Vienna
AZE|member|Azerbaijan||Azerbaijani;Azeri|Baku
BHS|member|Bahamas|The Bahamas|Bahamian|Nassau
BHR|member|Bahrain|Kingdom of Bahrain|Bahraini|Manama
BGD|member|Bangladesh||Bangladeshi|Dhaka
BRB|member|Barbados||Barbadian|Bridgetown
BLR|member|Belarus|Belorussia;Byelorussia|Belarusian;Belarusan;Byelorussian|Minsk
BEL|member|Belgium||Belgian|
BLZ|member|Belize||Belizean|Belmopan
BEN|member|Benin||Beninese|Porto-Novo;Cotonou
BTN|member|Bhutan||Bhutanese|Thimphu
BOL|member|Bolivia|Plurinational State of Bolivia|Bolivian|La Paz
BIH|member|Bosnia and Herzegovina|Bosnia-Herzegovina;Bosnia;BiH|Bosnian|Sarajevo
BWA|member|Botswana||Botswanan;Motswana;Batswana|Gaborone
BRA|member|Brazil|Federative Republic of Brazil|Brazilian|Brasília;Brasilia
BRN|member|Brunei|Brunei Darussalam|Bruneian|Bandar Seri Begawan
BGR|member|Bulgaria||Bulgarian|Sofia
BFA|member|Burkina Faso|Burkina|Burkinabe;Burkinabè|Ouagadougou
BDI|member|Burundi||Burundian|Gitega;Bujumbura
CPV|member|Cabo Verde|Cape Verde|Cape Verdean;Cabo Verdean|Praia
KHM|member|Cambodia|Kingdom of Cambodia|Cambodian|Phnom Penh
CMR|member|Cameroon||Cameroonian|Yaoundé;Yaounde
CAN|member|Canada|Quebec;Ontario;Montreal;Toronto;Alberta|Canadian|Ottawa
CAF|member|Central African Republic|CAR|Central African|Bangui
TCD|member|Chad||Chadian|N'Djamena;Ndjamena;N'Djaména
CHL|member|Chile||Chilean|Santiago
CHN|member|China|People's Republic of China;PRC;mainland China|Chinese|Beijing
COL|member|Colombia||Colombian|Bogotá;Bogota
COM|member|Comoros|Union of the Comoros|Comorian|Moroni
COG|member|Republic of the Congo|Republic of Congo;Congo-Brazzaville;Congo Republic;Congo Brazzaville||Brazzaville
COD|member|Democratic Republic of the Congo|Democratic Republic of Congo;DR Congo;DRC;Congo-Kinshasa;Congo Kinshasa;Congo|Congolese|Kinshasa
CRI|member|Costa Rica||Costa Rican|
CIV|member|Côte d'Ivoire|Cote d'Ivoire;Ivory Coast|Ivorian|Yamoussoukro;Abidjan
HRV|member|Croatia||Croatian;Croat|Zagreb
CUB|member|Cuba||Cuban|Havana
CYP|member|Cyprus|Republic of Cyprus|Cypriot|Nicosia
CZE|member|Czech Republic|Czechia|Czech|Prague
DNK|member|Denmark||Danish|Copenhagen
DJI|member|Djibouti||Djiboutian|
DMA|member|Dominica|Commonwealth of Dominica||Roseau
DOM|member|Dominican Republic||Dominican|Santo Domingo
ECU|member|Ecuador||Ecuadorian;Ecuadorean|Quito
EGY|member|Egypt|Arab Republic of Egypt|Egyptian|Cairo
SLV|member|El Salvador||Salvadoran;Salvadorean|San Salvador
GNQ|member|Equatorial Guinea||Equatorial Guinean;Equatoguinean|Malabo
ERI|member|Eritrea||Eritrean|Asmara
EST|member|Estonia||Estonian|Tallinn
SWZ|member|Eswatini|Swaziland|Swazi|Mbabane
ETH|member|Ethiopia||Ethiopian|Addis Ababa
FJI|member|Fiji||Fijian|Suva
FIN|member|Finland||Finnish|Helsinki
FRA|member|France|French Republic|French|Paris
GAB|member|Gabon|Gabonese Republic|Gabonese|Libreville
GMB|member|Gambia|The Gambia|Gambian|Banjul
GEO|member|Georgia||Georgian|Tbilisi
DEU|member|Germany|Federal Republic of Germany;West Germany|German;West German|Berlin
GHA|member|Ghana||Ghanaian|Accra
GRC|member|Greece|Hellenic Republic|Greek;Hellenic|Athens
GRD|member|Grenada||Grenadian|
GTM|member|Guatemala||Guatemalan|Guatemala City
GIN|member|Guinea|Guinea-Conakry;Guinea Conakry|Guinean|Conakry
GNB|member|Guinea-Bissau|Guinea Bissau|Bissau-Guinean|Bissau
GUY|member|Guyana||Guyanese|Georgetown
HTI|member|Haiti||Haitian|Port-au-Prince
HND|member|Honduras||Honduran|Tegucigalpa
HUN|member|Hungary||Hungarian|Budapest
ISL|member|Iceland||Icelandic|Reykjavík;Reykjavik
IND|member|India|Republic of India|Indian|New Delhi;Delhi
IDN|member|Indonesia|Republic of Indonesia|Indonesian|Jakarta
IRN|member|Iran|Islamic Republic of Iran;Islamic Republic|Iranian|Tehran;Teheran
IRQ|member|Iraq|Republic of Iraq|Iraqi|Baghdad
IRL|member|Ireland|Republic of Ireland|Irish|Dublin
ISR|member|Israel|State of Israel|Israeli|Jerusalem;Tel Aviv
ITA|member|Italy|Italian Republic|Italian|Rome
JAM|member|Jamaica||Jamaican|Kingston
JPN|member|Japan||Japanese|Tokyo
JOR|member|Jordan|Hashemite Kingdom of Jordan|Jordanian|Amman
KAZ|member|Kazakhstan||Kazakh;Kazakhstani|Astana;Nur-Sultan
KEN|member|Kenya||Kenyan|Nairobi
KIR|member|Kiribati||I-Kiribati|Tarawa;South Tarawa
PRK|member|North Korea|Democratic People's Republic of Korea;DPRK;D.P.R.K.|North Korean|Pyongyang
KOR|member|South Korea|Republic of Korea;ROK|South Korean|Seoul
KWT|member|Kuwait|State of Kuwait|Kuwaiti|Kuwait City
KGZ|member|Kyrgyzstan|Kyrgyz Republic;Kirghizia|Kyrgyz;Kyrgyzstani|Bishkek
LAO|member|Laos|Lao PDR;Lao People's Democratic Republic|Lao;Laotian|Vientiane
LVA|member|Latvia||Latvian|Riga
LBN|member|Lebanon||Lebanese|Beirut
LSO|member|Lesotho||Basotho;Mosotho|Maseru
LBR|member|Liberia||Liberian|Monrovia
LBY|member|Libya|State of Libya|Libyan|Tripoli
LIE|member|Liechtenstein||Liechtensteiner|Vaduz
LTU|member|Lithuania||Lithuanian|Vilnius
LUX|member|Luxembourg|Grand Duchy of Luxembourg|Luxembourgish;Luxembourger|Luxembourg City
MDG|member|Madagascar||Malagasy|Antananarivo
MWI|member|Malawi||Malawian|Lilongwe
MYS|member|Malaysia||Malaysian|Kuala Lumpur;Putrajaya
MDV|member|Maldives|The Maldives|Maldivian|
MLI|member|Mali|Republic of Mali|Malian|Bamako
MLT|member|Malta||Maltese|Valletta
MHL|member|Marshall Islands|Republic of the Marshall Islands|Marshallese|Majuro
MRT|member|Mauritania|Islamic Republic of Mauritania|Mauritanian|Nouakchott
MUS|member|Mauritius||Mauritian|Port Louis
MEX|member|Mexico|United Mexican States|Mexican|Mexico City
FSM|member|Micronesia|Federated States of Micronesia|Micronesian|Palikir
MDA|member|Moldova|Republic of Moldova|Moldovan|Chișinău;Chisinau;Kishinev
MCO|member|Monaco|Principality of Monaco|Monegasque;Monacan|
MNG|member|Mongolia||Mongolian|Ulaanbaatar;Ulan Bator
MNE|member|Montenegro||Montenegrin|Podgorica
MAR|member|Morocco|Kingdom of Morocco|Moroccan|Rabat
MOZ|member|Mozambique||Mozambican|Maputo
MMR|member|Myanmar|Burma|Burmese|Naypyidaw;Naypyitaw;Nay Pyi Taw
NAM|member|Namibia||Namibian|Windhoek
NRU|member|Nauru||Nauruan|Yaren
NPL|member|Nepal||Nepali;Nepalese|Kathmandu
NLD|member|Netherlands|The Netherlands;Holland;Kingdom of the Netherlands|Dutch|Amsterdam;The Hague
NZL|member|New Zealand|Aotearoa|New Zealander|Wellington
NIC|member|Nicaragua||Nicaraguan|Managua
NER|member|Niger|Republic of Niger|Nigerien|Niamey
NGA|member|Nigeria|Federal Republic of Nigeria|Nigerian|Abuja
MKD|member|North Macedonia|Macedonia|North Macedonian;Macedonian|Skopje
NOR|member|Norway||Norwegian|Oslo
OMN|member|Oman|Sultanate of Oman|Omani|Muscat
PAK|member|Pakistan|Islamic Republic of Pakistan|Pakistani|Islamabad
PLW|member|Palau||Palauan|Ngerulmud
PAN|member|Panama||Panamanian|Panama City
PNG|member|Papua New Guinea|PNG|Papua New Guinean|Port Moresby
PRY|member|Paraguay||Paraguayan|Asunción;Asuncion
PER|member|Peru||Peruvian|Lima
PHL|member|Philippines|The Philippines;Republic of the Philippines|Philippine;Filipino|Manila
POL|member|Poland|Republic of Poland|Polish|Warsaw
PRT|member|Portugal||Portuguese|Lisbon
QAT|member|Qatar|State of Qatar|Qatari|Doha
ROU|member|Romania||Romanian|Bucharest
RUS|member|Russia|Russian Federation|Russian|Moscow
RWA|member|Rwanda||Rwandan|Kigali
KNA|member|Saint Kitts and Nevis|St Kitts and Nevis;St. Kitts and Nevis;Saint Kitts;St Kitts|Kittitian;Nevisian|Basseterre
LCA|member|Saint Lucia|St Lucia;St. Lucia|Saint Lucian;St Lucian|Castries
VCT|member|Saint Vincent and the Grenadines|St Vincent and the Grenadines;St. Vincent and the Grenadines;Saint Vincent;St Vincent|Vincentian|Kingstown
WSM|member|Samoa||Samoan|Apia
SMR|member|San Marino||Sammarinese|
STP|member|São Tomé and Príncipe|Sao Tome and Principe|Santomean|
SAU|member|Saudi Arabia|Kingdom of Saudi Arabia;KSA|Saudi;Saudi Arabian|Riyadh
SEN|member|Senegal||Senegalese|Dakar
SRB|member|Serbia|Republic of Serbia|Serbian;Serb|Belgrade
SYC|member|Seychelles|The Seychelles|Seychellois|
SLE|member|Sierra Leone||Sierra Leonean|Freetown
SGP|member|Singapore|Republic of Singapore|Singaporean|
SVK|member|Slovakia|Slovak Republic|Slovak;Slovakian|Bratislava
SVN|member|Slovenia||Slovenian;Slovene|Ljubljana
SLB|member|Solomon Islands||Solomon Islander|Honiara
SOM|member|Somalia|Federal Republic of Somalia|Somali|Mogadishu
ZAF|member|South Africa|Republic of South Africa|South African|Pretoria
SSD|member|South Sudan||South Sudanese|Juba
ESP|member|Spain|Kingdom of Spain|Spanish|Madrid
LKA|member|Sri Lanka||Sri Lankan|Colombo;Sri Jayawardenepura Kotte
SDN|member|Sudan|Republic of the Sudan|Sudanese|Khartoum;Port Sudan
SUR|member|Suriname||Surinamese|Paramaribo
SWE|member|Sweden||Swedish|Stockholm
CHE|member|Switzerland|Swiss Confederation|Swiss|Bern;Berne
SYR|member|Syria|Syrian Arab Republic|Syrian|Damascus
TJK|member|Tajikistan||Tajik;Tajikistani|Dushanbe
TZA|member|Tanzania|United Republic of Tanzania|Tanzanian|Dodoma;Dar es Salaam
THA|member|Thailand|Kingdom of Thailand|Thai|Bangkok
TLS|member|Timor-Leste|East Timor|Timorese;East Timorese|Dili
TGO|member|Togo|Togolese Republic|Togolese|Lomé;Lome
TON|member|Tonga||Tongan|Nuku'alofa
TTO|member|Trinidad and Tobago|Trinidad|Trinidadian;Tobagonian|Port of Spain
TUN|member|Tunisia||Tunisian|Tunis
TUR|member|Turkey|Türkiye;Turkiye;Republic of Türkiye;Republic of Turkey|Turkish|Ankara
TKM|member|Turkmenistan||Turkmen|Ashgabat
TUV|member|Tuvalu||Tuvaluan|Funafuti
UGA|member|Uganda||Ugandan|Kampala
UKR|member|Ukraine|The Ukraine|Ukrainian|Kyiv;Kiev
ARE|member|United Arab Emirates|UAE|Emirati|Abu Dhabi
GBR|member|United Kingdom|UK;Britain;Great Britain;United Kingdom of Great Britain and Northern Ireland|British|London
USA|member|United States|United States of America;US;USA;America|American|Washington;Washington DC;Washington D.C.
URY|member|Uruguay||Uruguayan|Montevideo
UZB|member|Uzbekistan||Uzbek;Uzbekistani|Tashkent
VUT|member|Vanuatu||Ni-Vanuatu|Port Vila
VEN|member|Venezuela|Bolivarian Republic of Venezuela|Venezuelan|Caracas
VNM|member|Vietnam|Viet Nam|Vietnamese|Hanoi
YEM|member|Yemen|Republic of Yemen|Yemeni|Sanaa;Sana'a
ZMB|member|Zambia||Zambian|Lusaka
ZWE|member|Zimbabwe||Zimbabwean|Harare
VAT|observer|Holy See|Vatican;Vatican City||
PSE|observer|Palestine|State of Palestine;Palestinian Authority;Palestinian territories|Palestinian|Ramallah
TWN|other|Taiwan|Republic of China;ROC;Chinese Taipei|Taiwanese|Taipei
XKX|other|Kosovo|Republic of Kosovo|Kosovar;Kosovan|Pristina;Prishtina
SUN|historical|Soviet Union|USSR;Union of Soviet Socialist Republics|Soviet|
YUG|historical|Yugoslavia|Socialist Federal Republic of Yugoslavia;SFRY;Federal Republic of Yugoslavia|Yugoslav;Yugoslavian|
CSK|historical|Czechoslovakia|Czechoslovak Socialist Republic|Czechoslovak;Czechoslovakian|
DDR|historical|East Germany|German Democratic Republic;GDR|East German|East Berlin
"""

# Seats of government, palaces and ministries used in place of the state.
METONYMS = {
    "USA": ["the White House", "the Pentagon", "State Department", "US State Department",
            "Department of State", "Department of Defense", "US Department of Defense",
            "Foggy Bottom", "Capitol Hill", "US Congress", "U.S. Congress"],
    "GBR": ["Downing Street", "Number 10", "Whitehall", "UK Ministry of Defence",
            "British Ministry of Defence", "UK MoD"],
    "FRA": ["Élysée", "Elysee", "Élysée Palace", "Elysee Palace", "Quai d'Orsay",
            "French Ministry of the Armed Forces"],
    "RUS": ["the Kremlin", "Kremlin", "Russian Defence Ministry", "Russian Defense Ministry",
            "Russian Ministry of Defence"],
    "CHN": ["Zhongnanhai", "Chinese Defence Ministry", "Chinese Defense Ministry"],
    "DEU": ["Bundestag", "Bendlerblock"],
    "KOR": ["Blue House", "Yongsan presidential office"],
    "IND": ["South Block", "Rashtrapati Bhavan"],
    "PAK": ["Rawalpindi", "GHQ Rawalpindi"],
    "ISR": ["Knesset", "Israeli Defence Ministry", "Israeli Defense Ministry", "Israel Ministry of Defense"],
    "UKR": ["Bankova"],
    "TUR": ["Beştepe", "Bestepe"],
    "PHL": ["Malacañang", "Malacanang", "Malacañang Palace"],
    "BRA": ["Planalto", "Itamaraty"],
    "ARG": ["Casa Rosada"],
    "VEN": ["Miraflores Palace"],
    "ESP": ["Moncloa"],
    "JPN": ["Kantei"],
    "MLI": ["Koulouba"],
    }

# Specific armed-forces names. Generic "<demonym> army/navy/air force/...",
# "<name>'s armed forces", "Royal <demonym> Navy" and "Armed Forces of <name>"
# are derived automatically by the gazetteer and need not be listed.
FORCES = {
    "USA": ["USAF", "USMC", "USN", "US Space Force", "CENTCOM", "US Central Command",
            "AFRICOM", "US Africa Command", "EUCOM", "US European Command", "INDOPACOM",
            "US Indo-Pacific Command", "SOCOM", "US Special Operations Command",
            "US Army Corps of Engineers", "United States Armed Forces"],
    "GBR": ["Royal Navy", "Royal Air Force", "RAF", "British Army", "Royal Marines",
            "HM Armed Forces", "His Majesty's Armed Forces"],
    "FRA": ["Armée de l'Air", "Armée de l'Air et de l'Espace", "Armée de Terre",
            "Marine nationale", "French Foreign Legion", "Foreign Legion"],
    "DEU": ["Bundeswehr", "Luftwaffe", "Deutsche Marine", "German Bundeswehr"],
    "RUS": ["VKS", "Rosgvardia", "Black Sea Fleet", "Baltic Fleet", "Northern Fleet",
            "Strategic Rocket Forces", "Russian Ground Forces", "Russian Aerospace Forces"],
    "CHN": ["PLA", "People's Liberation Army", "PLA Navy", "PLA Air Force", "PLAAF",
            "PLA Rocket Force", "PLA Ground Force", "PLA Army", "PLA Navy Marine Corps",
            "People's Liberation Army Navy", "People's Liberation Army Air Force",
            "People's Armed Police"],
    "UKR": ["ZSU", "AFU", "Ukrainian Ground Forces", "Territorial Defence Forces of Ukraine"],
    "ISR": ["IDF", "Israel Defense Forces", "Israel Defence Forces", "Israeli Defense Forces",
            "Israeli Defence Forces", "Tsahal", "Israeli Navy", "Israel Air Force"],
    "IND": ["Indian Armed Forces"],
    "PAK": ["Pakistan Armed Forces"],
    "TUR": ["TSK", "Turkish Armed Forces", "Turkish Land Forces"],
    "KOR": ["ROKAF", "ROKN", "ROK Army", "ROK Navy", "ROK Air Force", "ROK Marine Corps"],
    "PRK": ["Korean People's Army", "KPA", "Korean People's Army Air Force"],
    "JPN": ["Japan Self-Defense Forces", "Japan Self-Defence Forces", "JSDF",
            "Japan Ground Self-Defense Force", "JGSDF", "Japan Maritime Self-Defense Force",
            "JMSDF", "Japan Air Self-Defense Force", "JASDF", "Self-Defense Forces"],
    "IRN": ["IRGC", "Islamic Revolutionary Guard Corps", "Revolutionary Guards",
            "Revolutionary Guard Corps", "Quds Force", "Artesh", "IRGC Navy",
            "IRGC Aerospace Force", "Basij"],
    "MLI": ["FAMa", "Forces Armées Maliennes", "Forces Armees Maliennes"],
    "SAU": ["SANG", "Saudi Arabian National Guard", "Royal Saudi Air Force", "Royal Saudi Land Forces"],
    "AUS": ["ADF", "RAAF", "Royal Australian Air Force", "Royal Australian Navy"],
    "CAN": ["RCAF", "Canadian Armed Forces", "Royal Canadian Air Force", "Royal Canadian Navy"],
    "SGP": ["Republic of Singapore Air Force", "Republic of Singapore Navy", "Singapore Armed Forces"],
    "NZL": ["NZDF", "RNZAF", "New Zealand Defence Force"],
    "ZAF": ["SANDF", "South African National Defence Force", "SAAF"],
    "KEN": ["KDF", "Kenya Defence Forces"],
    "UGA": ["UPDF", "Uganda People's Defence Force", "Uganda People's Defence Forces"],
    "MMR": ["Tatmadaw"],
    "SYR": ["Syrian Arab Army", "SAA"],
    "IRQ": ["Iraqi Security Forces", "Iraqi Counter Terrorism Service"],
    "TWN": ["ROC Armed Forces", "Republic of China Armed Forces", "Republic of China Air Force",
            "Republic of China Navy", "Republic of China Army"],
    "ITA": ["Aeronautica Militare", "Marina Militare", "Esercito Italiano"],
    "ESP": ["Ejército del Aire", "Ejército de Tierra", "Armada Española"],
    "NLD": ["Royal Netherlands Army", "Royal Netherlands Navy", "Royal Netherlands Air Force"],
    "NOR": ["Royal Norwegian Air Force", "Royal Norwegian Navy", "Norwegian Armed Forces"],
    "DNK": ["Royal Danish Air Force", "Royal Danish Navy", "Danish Defence"],
    "SWE": ["Swedish Armed Forces", "Försvarsmakten"],
    "THA": ["Royal Thai Army", "Royal Thai Navy", "Royal Thai Air Force"],
    "MYS": ["Royal Malaysian Air Force", "Royal Malaysian Navy", "RMAF"],
    "MAR": ["Royal Moroccan Armed Forces"],
    "JOR": ["Royal Jordanian Air Force", "Jordan Armed Forces"],
    "BRN": ["Royal Brunei Armed Forces"],
    "OMN": ["Royal Air Force of Oman", "Royal Navy of Oman", "Royal Army of Oman"],
    "PHL": ["Armed Forces of the Philippines", "Philippine Air Force", "Philippine Navy",
            "Philippine Army", "Philippine Coast Guard"],
    "NGA": ["Nigerian Armed Forces"],
    "EGY": ["Egyptian Armed Forces"],
    "BGD": ["Bangladesh Armed Forces"],
    "VNM": ["Vietnam People's Army", "Vietnam People's Navy", "Vietnam People's Air Force"],
    "BRA": ["Brazilian Armed Forces"],
    "CHL": ["Chilean Armed Forces"],
    "BFA": ["Volunteers for the Defence of the Homeland", "VDP"],
    "SUN": ["Red Army", "Soviet Armed Forces", "Soviet Army"],
    "DDR": ["National People's Army"],
    "YUG": ["Yugoslav People's Army", "JNA"],
    "CZE": ["Czech Armed Forces", "Army of the Czech Republic"],
    "POL": ["Polish Armed Forces"],
    "GRC": ["Hellenic Armed Forces", "Hellenic Air Force", "Hellenic Navy", "Hellenic Army"],
    "ARE": ["UAE Armed Forces", "UAE Presidential Guard"],
    "QAT": ["Qatar Emiri Air Force", "Qatar Armed Forces", "QEAF"],
    "KWT": ["Kuwait Air Force", "Kuwait Armed Forces"],
    "IDN": ["TNI", "Indonesian National Armed Forces", "TNI AU", "TNI AL", "TNI AD"],
    "LKA": ["Sri Lanka Armed Forces"],
    "ETH": ["Ethiopian National Defense Force", "ENDF"],
    "SOM": ["Somali National Army"],
    "ARM": ["Armenian Armed Forces"],
    "AZE": ["Azerbaijani Armed Forces"],
    "KAZ": ["Kazakh Armed Forces"],
    "LBN": ["Lebanese Armed Forces", "LAF"],
}



def build() -> list[dict]:
    rows = []
    seen = set()
    for line in STATES.strip().splitlines():
        parts = line.split("|")
        if len(parts) != 6:
            raise SystemExit(f"bad row: {line!r}")
        code, status, name, names, demonyms, capitals = parts
        if code in seen:
            raise SystemExit(f"duplicate code {code}")
        seen.add(code)

        def split(s: str) -> list[str]:
            return [x.strip() for x in s.split(";") if x.strip()]

        entry = {
            "code": code,
            "name": name,
            "status": status,
            "names": split(names),
            "demonyms": split(demonyms),
            "capitals": split(capitals),
            "metonyms": METONYMS.get(code, []),
            "forces": FORCES.get(code, []),
        }
        rows.append(entry)
    for table in (METONYMS, FORCES):
        for code in table:
            if code not in seen:
                raise SystemExit(f"unknown code in table: {code}")
    return rows


def render(rows: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def main(argv: list[str]) -> int:
    text = render(build())
    if "--check" in argv:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT} is out of date; run scripts/build_countries.py", file=sys.stderr)
            return 1
        return 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    members = sum(1 for r in build() if r["status"] == "member")
    print(f"wrote {OUT} ({len(text.splitlines())} entries, {members} UN members)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
