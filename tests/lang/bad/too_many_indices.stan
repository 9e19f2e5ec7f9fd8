data {
  vector[3] v;
  array[2] real a;
}
generated quantities {
  real x = v[1, 2];
  real z = a[1.5];
  vector[3] w = v + a;
}
