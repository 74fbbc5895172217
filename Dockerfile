# syntax=docker/dockerfile:1
# Build stage: install everything, transpile with swc.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
RUN npm ci --ignore-scripts && npm rebuild argon2 msgpackr-extract
COPY . .
RUN node scripts/build.js

# Runtime stage: production dependencies and dist/ only, as an unprivileged user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
RUN npm ci --omit=dev --ignore-scripts && npm rebuild argon2 msgpackr-extract && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# The same V8 heap cap as `npm start` (see docs/operations.md "Memory").
CMD ["node", "--max-old-space-size=256", "dist/src/main.js"]
