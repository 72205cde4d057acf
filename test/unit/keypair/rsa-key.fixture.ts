/** An RSA key made by ssh-keygen, and its fingerprint as `ssh-keygen -l -E md5` prints it. */
export const RSA_PUBLIC_KEY =
  'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDBS1YMW0A8BkeeyLFbyY4e9nbBKcVgB4RmoRsWyZBZ0Ec3/7H9RsyBDJ1KL8S+skKSMfKLpZmUnr0UPmnclMx8lLkUUbRSNlIY7QGFZyOkO5CQofkHlpQfBBL9gNve8cmbu3btUWwmZN0/BSc0iulnQi4+jn9MNp0X2bxyuIbmXw== root@vm';
export const RSA_FINGERPRINT = 'd8:5b:de:a8:a3:2a:59:26:4f:40:4d:f6:57:a0:46:5a';
