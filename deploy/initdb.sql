-- One database per service (compose.yaml mounts this into the postgres container).
CREATE DATABASE hr OWNER workforce;
CREATE DATABASE training OWNER workforce;
CREATE DATABASE certs OWNER workforce;
