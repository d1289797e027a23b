#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""scikit-learn baselines for bench/real-data/run.fsx: one 80/20 split given as two CSV files (header, label last).

Usage: baselines.py regression|classification TRAIN.csv TEST.csv SEED
Prints one JSON object per method: {"method", "score" (test R^2 or accuracy), "hidden" (neurons), "seconds"}.
Inputs are standardised on the training part (and, for regression, the MLPs' targets too), as for Neuron Pursuit.
"""
import json
import sys
import time

import numpy as np
from sklearn.compose import TransformedTargetRegressor
from sklearn.linear_model import LinearRegression, LogisticRegressionCV, RidgeCV
from sklearn.metrics import accuracy_score, r2_score
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def load(path):
    data = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    return data[:, :-1], data[:, -1]


def main():
    task, train_path, test_path, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    x_train, y_train = load(train_path)
    x_test, y_test = load(test_path)
    if task == "regression":
        def mlp(width):
            return TransformedTargetRegressor(
                regressor=MLPRegressor(hidden_layer_sizes=width, early_stopping=True, max_iter=5000, random_state=seed),
                transformer=StandardScaler())
        models = [("linear regression", LinearRegression(), 0),
                  ("ridge (CV)", RidgeCV(alphas=np.logspace(-3, 3, 13)), 0),
                  ("MLP (16)", mlp((16,)), 16),
                  ("MLP (100)", mlp((100,)), 100)]
        score = r2_score
    else:
        models = [("logistic regression (CV)", LogisticRegressionCV(Cs=13, max_iter=5000), 0),
                  ("MLP (16)", MLPClassifier(hidden_layer_sizes=(16,), early_stopping=True, max_iter=5000, random_state=seed), 16),
                  ("MLP (100)", MLPClassifier(hidden_layer_sizes=(100,), early_stopping=True, max_iter=5000, random_state=seed), 100)]
        score = accuracy_score
    for name, model, hidden in models:
        pipeline = make_pipeline(StandardScaler(), model)
        start = time.perf_counter()
        pipeline.fit(x_train, y_train)
        seconds = time.perf_counter() - start
        print(json.dumps({"method": name, "score": float(score(y_test, pipeline.predict(x_test))), "hidden": hidden,
                          "seconds": seconds, "linear": hidden == 0}))


if __name__ == "__main__":
    main()
