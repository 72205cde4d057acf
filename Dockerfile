# Production-like image: build with swc, run the compiled service.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx swc src -d dist && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8774
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# swc compiles only .ts: the cluster simulator (the embedded default's cluster) needs its published schemas
COPY --from=build /app/src/cluster-simulator/schemas ./dist/src/cluster-simulator/schemas
COPY --from=build /app/migrations ./migrations
COPY package.json ./
EXPOSE 8774
CMD ["node", "--enable-source-maps", "dist/src/main.js"]
