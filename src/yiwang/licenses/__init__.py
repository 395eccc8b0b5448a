"""电子证照库: electronic licences issued, signed with 国密, verified, revoked and reused (issue 4).

One of the five base resources of the data foundation (GB/T 36901–36905-2018, STANDARDS.md §8).
"""
