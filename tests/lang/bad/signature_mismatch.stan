data {
  matrix[3, 3] A;
  vector[3] b;
}
generated quantities {
  real d = dot_product(A, b);
}
