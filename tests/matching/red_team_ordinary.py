"""Ordinary pitch and skill sentences written against the red-team fixes, which every one of them must pass.

Each sits close to something the screen now refuses: a capitalised word after "je suis"/"ik ben"/"I'm"
that is not a name, "NN ans" at the end of a clause that is a duration, "double"/"triple" that dictates
nothing, ordinals that are not dates, countries that products or clients come from, religion named as
a workplace or a client's need, "Romani C1" as a language, Belgian places as work areas.
"""

RED_TEAM_ORDINARY = [
    # experience and durations stated alone
    "Expérience : 15 ans.", "Nettoyage industriel, 15 ans.", "Femme de ménage depuis 12 ans.",
    "J'ai travaillé en cuisine pendant 20 ans.", "Werkervaring: 22 jaar.", "Schoonmaak, 18 jaar.",
    "Kitchen porter for 19 years.", "Warehouse work, 21 years.", "Ancienneté dans le secteur : 30 ans.",
    "Contrat de 24 mois, renouvelable.", "In de bouw sinds 2004, 20 jaar.", "Logistique: 16 ans.",
    # children and older people in care work
    "Garde d'enfants de 2 à 12 ans, diplôme d'auxiliaire.", "Opvang van kinderen tot 12 jaar.",
    "Babysitting for children aged 3 to 10.", "Aide à domicile chez une dame de 85 ans.",
    "Zorg voor een meneer van 90 jaar.", "Worked with teenagers aged 14 to 18.",
    "Animatrice pour les 6-12 ans pendant l'été.", "Care for residents over 70, night shifts.",
    # shifts, postcodes, dates of availability, CEFR, licences
    "Shifts 6-14, 14-22 en 22-6 mogelijk.", "Disponible à partir du 1er mars 2027.",
    "Beschikbaar vanaf de eerste maart.", "Available from the first of March.",
    "Available from March the first, mornings only.", "Start possible on the twelfth of May.",
    "Werkgebied 1000 Brussel, 1070 Anderlecht en 1080 Molenbeek.", "Zone : 1030 Schaerbeek, 1210 Saint-Josse.",
    "Néerlandais A2, français C1, romani C1.", "Romani C1, Romanian B2, English A2.",
    "Romani (C1) et roumain (B2).", "Permis B, permis C en cours.", "Rijbewijs B sinds 2012.",
    "Travaille à Anderlecht, Forest et Saint-Gilles.", "Werkt in Vilvoorde, Zaventem en Machelen.",
    "Work area: Brussels, Halle, Vilvoorde.", "Disponible à Liège, Namur et Charleroi.",
    # capitalised words after "je suis", "ik ben", "I'm" that are not names
    "Je suis Disponible, Motivée et Ponctuelle.", "Je suis disponible.", "Ik ben Beschikbaar.",
    "I'm Available.", "I'm Reliable and Punctual.", "Je suis Bruxelloise.", "I am Dutch-speaking.",
    "I'm French-speaking and learning Dutch.", "Ik ben Franstalig.", "Je suis bilingue.",
    "Je suis au CPAS d'Anderlecht.", "I'm at Actiris on Monday.", "Ik ben VCA-gecertificeerd.",
    "Je suis en formation chez Bruxelles Formation.", "I am a team player.", "Je suis Auxiliaire de vie.",
    "Ik ben Medewerker van de maand geweest.", "I'm Head of housekeeping at a hotel.",
    # dictation words and ordinals that are not numbers of anyone
    "Double vitrage et triple vitrage.", "Double service le samedi.", "Triple A rating for safety.",
    "Dubbele shift in het weekend.", "My first job was in a bakery.", "The first of many contracts.",
    "De eerste maand is een proefperiode.", "Second place in the cooking contest.",
    "Fourth year of training.", "Derde keer in dezelfde firma.",
    # countries of products, clients, companies; religion as a workplace or a client's need
    "Produits importés de Turquie et du Maroc.", "Clients venus de Bulgarie et de Roumanie.",
    "Fruit imported from Morocco.", "Transport de marchandises vers la Roumanie.",
    "Chauffeur international: Belgique, France, Roumanie.", "Werkte voor een Turkse bakkerij.",
    "École catholique de Molenbeek, entretien des classes.", "Cleaner in a Catholic school.",
    "Cuisine halal et casher.", "Repas adaptés : halal, végétarien.", "Katholieke school in Jette.",
    "Entretien d'une église et d'une mosquée.", "I am a believer in teamwork.",
    "Roumain, français, anglais.", "Roemeens, Frans, Engels.", "Bulgarian, Turkish, Romani.",
    # numbers next to number words, and years next to sentences
    "0,5 ETP. Trois jours par semaine.", "1990-2000 boulangerie. Deux ans de pause.",
    "Code postal 1070\nTrois ans d'expérience.", "Équipe de 12 Deux équipes par jour.",
    "Born to cook, since 2010.", "Né pour la cuisine, 12 ans de métier.",
]  # fmt: skip
