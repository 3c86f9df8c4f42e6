# Multi-stage: build a virtualenv with the app, then copy it into a slim runtime as non-root.
# The source tree stays at /app (an editable install), where the app finds templates/.
FROM python:3.11-slim AS build
WORKDIR /app
RUN python -m venv /venv
COPY pyproject.toml README.md ./
COPY server ./server
COPY timeline ./timeline
COPY media ./media
COPY templates ./templates
RUN /venv/bin/pip install --no-cache-dir -e .

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 rw
COPY --from=build /venv /venv
COPY --from=build /app /app
WORKDIR /home/rw
USER rw
ENV PATH=/venv/bin:$PATH DATA_DIR=/home/rw/var
EXPOSE 8000
ENTRYPOINT ["remember-when"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
