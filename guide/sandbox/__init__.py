"""The case (one teacher's situation on ESEP) and the simulated platform actions that change it."""
