#include <stdio.h>
#include "gaitbatch/version.h"
int main(void)
{
  printf("gaitbatch %s\n", gb_version_string());
  return 0;
}
