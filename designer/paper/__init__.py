"""The paper form of a journey: the same questions and the same routing, printed.

:mod:`designer.paper.layout` numbers the questions in reading order and writes the
routing out as sentences ("Si vous avez répondu Non à la question 4, passez à la
question 9"); :mod:`designer.paper.walk` follows those instructions as a citizen holding
the paper would, which is how the tests prove the paper asks exactly what the online run
asks; :mod:`designer.paper.pdf` prints it (A4, with WeasyPrint).
"""
