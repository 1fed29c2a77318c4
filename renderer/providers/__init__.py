"""Identity and data providers: FranceConnect, API Particulier, API Entreprise.

The clients that Parcours uses to sign citizens in and to fetch what another
administration already knows ("Dites-le-nous une fois"), and local stand-ins of those
providers for development, tests and demonstrations, which speak the same protocols over
real HTTP and answer from the State's own test data (``shared/providers``, read where it
lies, never copied into the project).
"""
