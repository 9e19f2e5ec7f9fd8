//! NUTS and static HMC: Hamiltonian, metric, trajectory, adaptation, warmup schedule, parallel chains.
