"""Operations family: records of how the system is run, such as dated incident drills with measured
times.
"""
