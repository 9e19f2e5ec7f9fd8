data {
  int N;
  vector[N] v;
  matrix[N, N] M;
}
transformed data {
  row_vector[N] r = v;
  real s = v' * M;
  int k = 2.5;
  vector[N] w = M * v';
  real c = N > 0 ? v : 1;
  array[2] real a = {1, v};
  while (v) {
  }
}
