#include "other.stan"
parameters {
  real mu$;
}
model {
  mu ~ normal(0, 1);
}
/* this comment never ends
