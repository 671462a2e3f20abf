#!/usr/bin/env python3
"""Writes the FEC samples read by the tests of src/domain/fec.rs: python3 generate.py
(run from this folder). Byte-exact: CR LF, bare CR, BOM, Windows-1252, ISO-8859-15."""
C = ["JournalCode","JournalLib","EcritureNum","EcritureDate","CompteNum","CompteLib","CompAuxNum","CompAuxLib","PieceRef","PieceDate","EcritureLib","Debit","Credit","EcritureLet","DateLet","ValidDate","Montantdevise","Idevise"]
def row(j, jl, n, date, compte, clib, d, c, aux="", auxl="", pref="", pdate="", lib="", let="", dlet="", vdate="", md="", idev=""):
    return [j, jl, n, date, compte, clib, aux, auxl, pref, pdate, lib, d, c, let, dlet, vdate, md, idev]
def out(name, rows, sep="\t", eol="\n", enc="utf-8", bom=False, final=True, header=C):
    text = eol.join(sep.join(r) for r in [header] + rows)
    if final: text += eol
    b = text.encode(enc)
    if bom: b = b"\xef\xbb\xbf" + b
    open(name, "wb").write(b)

V = "20240131"
out("tab_utf8_crlf.txt", [
 row("VE","Ventes","1","20240115","411000","Clients","1500,00","0,00","C001","Mairie de Créteil","F2024-001","20240114","Atelier numérique école",vdate=V),
 row("VE","Ventes","1","20240115","706000","Prestations de services","0,00","1500,00","","","F2024-001","20240114","Atelier numérique école",vdate=V),
 row("AC","Achats","1","20240120","606400","Fournitures administratives","45,60","0,00","","","A-17","20240119","Ramettes papier",vdate=V),
 row("AC","Achats","1","20240120","445660","TVA déductible","9,12","0,00","","","A-17","20240119","Ramettes papier",vdate=V),
 row("AC","Achats","1","20240120","401000","Fournisseurs","0,00","54,72","F010","Bureau Vallée","A-17","20240119","Ramettes papier",vdate=V),
 row("BQ","Banque","1","20240125","512000","Banque","1500,00","0,00","","","VIR-88","20240125","Virement Mairie de Créteil",vdate=V),
 row("BQ","Banque","1","20240125","411000","Clients","0,00","1500,00","C001","Mairie de Créteil","VIR-88","20240125","Virement Mairie de Créteil",vdate=V),
], eol="\r\n")

out("pipe_bom.txt", [
 row("AC","Achats","5","20240210","606400","Fournitures administratives","42,30","0,00","","","T-5","20240210","Cartouches d'encre"),
 row("AC","Achats","5","20240210","401000","Fournisseurs","0,00","42,30","F010","Bureau Vallée","T-5","20240210","Cartouches d'encre"),
 row("BQ","Banque","9","20240215","401000","Fournisseurs","42,30","0,00","F010","Bureau Vallée","CB-9","20240215","Paiement carte"),
 row("BQ","Banque","9","20240215","512000","Banque","0,00","42,30","","","CB-9","20240215","Paiement carte"),
], sep="|", bom=True)

single = [
 row("AC","Achats œuvres","3","20240305","606400","Fournitures de bureau","12,00","0,00","","","P-3","20240305","Papeterie 12 € réglée"),
 row("AC","Achats œuvres","3","20240305","401000","Fournisseurs","0,00","12,00","","","P-3","20240305","Papeterie 12 € réglée"),
]
out("windows1252.txt", single, enc="cp1252", eol="\r\n")
out("iso8859_15.txt", single, enc="iso8859_15")

out("no_final_eol.txt", [
 row("CO","Cotisations","1","20240401","512000","Banque","80,00","0,00",lib="Cotisations avril"),
 row("CO","Cotisations","1","20240401","756000","Cotisations","0,00","80,00",lib="Cotisations avril"),
], final=False)

MS = C[:11] + ["Montant","Sens"] + C[13:]
out("montant_sens.txt", [
 row("BQ","Banque","1","20240501","512000","Banque","250,00","D",lib="Don"),
 row("BQ","Banque","1","20240501","756000","Dons","250,00","C",lib="Don"),
 row("BQ","Banque","2","20240502","606400","Fournitures","60,00","+1",lib="Achats"),
 row("BQ","Banque","2","20240502","606300","Petit équipement","50,00","1",lib="Achats"),
 row("BQ","Banque","2","20240502","512000","Banque","100,00","-1",lib="Achats"),
 row("BQ","Banque","2","20240502","512000","Banque","-10,00","D",lib="Frais bancaires"),
], sep="|", header=MS)

C22 = C + ["DateRglt","ModeRglt","NatOp","IdClient"]
out("cash_basis_22.txt", [
 row("VE","Ventes","4","20240601","512000","Banque","35,00","0,00",lib="Atelier")+["20240601","CB","Prestation","C12"],
 row("VE","Ventes","4","20240601","706000","Prestations","0,00","35,00",lib="Atelier")+["20240601","CB","Prestation","C12"],
], header=C22)

out("extra_columns.txt", [
 row("VE","Ventes","4","20240601","512000","Banque","35,00","0,00",lib="Atelier")+["ANA-01","vu avec Paul"],
 row("VE","Ventes","4","20240601","706000","Prestations","0,00","35,00",lib="Atelier")+["ANA-01",""],
], header=C+["CodeAnalytique","Commentaire"])

out("non_adjacent.txt", [
 row("VE","Ventes","2","20240110","411000","Clients","30,00","0,00",lib="Facture 2"),
 row("VE","Ventes","1","20240109","411000","Clients","20,00","0,00",lib="Facture 1"),
 row("VE","Ventes","2","20240110","706000","Prestations","0,00","10,00",lib="Facture 2"),
 row("VE","Ventes","1","20240109","706000","Prestations","0,00","20,00",lib="Facture 1"),
 row("VE","Ventes","2","20240110","708000","Produits annexes","0,00","20,00",lib="Facture 2"),
])

out("same_num_two_journals.txt", [
 row("VE","Ventes","1","20240110","411000","Clients","100,00","0,00"),
 row("VE","Ventes","1","20240110","706000","Prestations","0,00","100,00"),
 row("AC","Achats","1","20240111","606400","Fournitures","20,00","0,00"),
 row("AC","Achats","1","20240111","401000","Fournisseurs","0,00","20,00"),
])

out("empty_text.txt", [
 row("CO","-","1","20240301","512000","Banque","25,00","0,00","-","/","","/","Cotisation","-","-","-","-","-"),
 row("CO","/","1","20240301","756000","-","0,00","25,00","/","-","-","-","/"),
], sep="|")

out("zero_padded.txt", [
 row("OD","Opérations diverses","1","20240701","512000","Banque","000001234,50","000000000,00"),
 row("OD","Opérations diverses","1","20240701","756000","Cotisations","000000000,00","000001000,00"),
 row("OD","Opérations diverses","1","20240701","754000","Dons","","000000234,50"),
])

out("opening.txt", [
 row("AN","A nouveaux","1","20240101","512000","Banque","1000,00","0,00",lib="Solde banque"),
 row("AN","A nouveaux","1","20240101","110000","Report à nouveau","0,00","1000,00",lib="Solde banque"),
 row("OUV","Ouverture","1","20240101","530000","Caisse","50,00","0,00"),
 row("OUV","Ouverture","1","20240101","110000","Report à nouveau","0,00","50,00"),
 row("ran","Reprise","1","20240101","512100","Livret","10,00","0,00"),
 row("ran","Reprise","1","20240101","110000","Report à nouveau","0,00","10,00"),
 row("JO","Journal d'ouverture","1","20240101","512200","Compte 2","5,00","0,00"),
 row("JO","Journal d'ouverture","1","20240101","110000","Report à nouveau","0,00","5,00"),
 row("OD","Opérations diverses","1","20240101","512300","Compte 3","7,00","0,00",lib="À-Nouveaux 2023"),
 row("OD","Opérations diverses","1","20240101","110000","Report à nouveau","0,00","7,00",lib="À-Nouveaux 2023"),
 row("OD","Opérations diverses","2","20240102","411000","Clients","8,00","0,00",lib="Facture envoyée à nouveau"),
 row("OD","Opérations diverses","2","20240102","706000","Prestations","0,00","8,00",lib="Facture envoyée à nouveau"),
])

LOW = ["ecriturenum","journalcode","ecrituredate","journallib","comptenum","comptelib","compauxnum","compauxlib","pieceref","piecedate","ecriturelib","credit","DEBIT","ecriturelet","datelet","validdate","montantdevise","idevise"]
def lowrow(n,j,date,jl,compte,clib,credit,debit):
    return [n,j,date,jl,compte,clib,"","","","","Règlement",credit,debit,"","","","",""]
out("lowercase_headers.txt", [
 lowrow("1","BQ","20240301","Banque","512000","Banque","0,00","60,00"),
 lowrow("1","BQ","20240301","Banque","411000","Clients","60,00","0,00"),
], header=LOW)

out("negative_and_zero.txt", [
 row("OD","Opérations diverses","1","20240801","512000","Banque","","-100,00"),
 row("OD","Opérations diverses","1","20240801","706000","Prestations","-50,00",""),
 row("OD","Opérations diverses","1","20240801","401000","Fournisseurs","0,00","0,00"),
 row("OD","Opérations diverses","1","20240801","708000","Produits annexes","0,00","50,00"),
])

out("date_formats.txt", [
 row("OD","OD","1","20240229","512000","Banque","1,00","0,00"),
 row("OD","OD","1","20240229","758000","Divers","0,00","1,00"),
 row("OD","OD","2","2024-02-29","512000","Banque","1,00","0,00",pdate="2024-02-28"),
 row("OD","OD","2","2024-02-29","758000","Divers","0,00","1,00",pdate="2024-02-28"),
 row("OD","OD","3","29/02/2024","512000","Banque","1,00","0,00",pdate="00000000"),
 row("OD","OD","3","29/02/2024","758000","Divers","0,00","1,00",pdate="00000000"),
])

out("unbalanced.txt", [
 row("VE","Ventes","7","20240115","411000","Clients","100,00","0,00"),
 row("VE","Ventes","7","20240115","706000","Prestations","0,00","50,00"),
 row("VE","Ventes","8","20240116","411000","Clients","10,00","0,00"),
 row("VE","Ventes","7","20240115","708000","Produits annexes","0,00","49,90"),
 row("VE","Ventes","8","20240116","706000","Prestations","0,00","10,00"),
])

out("bad_amount.txt", [
 row("VE","Ventes","1","20240115","411000","Clients","12,34","0,00"),
 row("VE","Ventes","1","20240115","706000","Prestations","0,00","12,345"),
 row("VE","Ventes","2","20240115","411000","Clients","1O0,00","0,00"),
 row("VE","Ventes","2","20240115","706000","Prestations","0,00","100,00"),
])

MISS = [c for c in C if c not in ("CompAuxLib","PieceDate")]
out("missing_column.txt", [
 [f for c, f in zip(C, row("VE","Ventes","1","20240115","411000","Clients","10,00","0,00")) if c in MISS],
 [f for c, f in zip(C, row("VE","Ventes","1","20240115","706000","Prestations","0,00","10,00")) if c in MISS],
], header=MISS)

out("bad_date.txt", [
 row("VE","Ventes","1","20241301","411000","Clients","10,00","0,00"),
 row("VE","Ventes","1","20241301","706000","Prestations","0,00","10,00"),
])

out("date_conflict.txt", [
 row("VE","Ventes","3","20240115","411000","Clients","10,00","0,00"),
 row("VE","Ventes","3","20240115","706000","Prestations","0,00","5,00"),
 row("VE","Ventes","3","20240116","708000","Produits annexes","0,00","5,00"),
])

out("bad_account.txt", [
 row("VE","Ventes","1","20240115","411CLIENT","Clients","10,00","0,00"),
 row("VE","Ventes","1","20240115","706000","Prestations","0,00","10,00"),
])

out("shifted_columns.txt", [
 row("AC","Achats","1","20240115","606400","Fournitures","12,00","0,00",lib="Achat"),
 row("AC","Achats","1","20240115","401000","Fournisseurs","0,00","12,00",lib="Achat | remise",idev="EUR"),
 row("AC","Achats","2","20240115","606400","Fournitures","12,00","0,00",lib="Achat"),
 row("AC","Achats","2","20240115","401000","Fournisseurs","0,00","12,00",lib="Achat | remise"),
], sep="|")

open("semicolon.csv","w").write(";".join(C)+"\nVE;Ventes;1;20240115;411000;Clients;;;;;;10,00;0,00;;;;;\n")

# Bare CR line ends, blank lines before the header and between lines, a trailing
# separator on some data lines, quoted fields.
h = "|".join(C)
l1 = 'BQ|"Banque"|12|20240905|512000|Banque|||R4|20240905|"Don, reçu n° 4"|20,00|0,00||||||'
l2 = 'BQ|Banque|12|20240905|754000|Dons|||R4|20240905|Don|0,00|20,00||||||'
l3 = 'BQ|Banque|13|20240906|627000|Frais|||R5|20240906|Frais|1,50|0,00|||||'
l4 = 'BQ|Banque|13|20240906|512000|Banque|||R5|20240906|Frais|0,00|1,50|||||'
open("quirks_cr.txt", "wb").write("\r".join(["   ", h, l1, "||||", l2, l3, "", l4, "", ""]).encode())
