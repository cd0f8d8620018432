import type { LibraryAllowlist } from './allowlist.js';

const CY_LOSSES =
  'CyHalfSquaredError CyAbsoluteError CyPinballLoss CyHuberLoss CyHalfPoissonLoss CyHalfGammaLoss ' +
  'CyHalfTweedieLoss CyHalfTweedieLossIdentity CyHalfBinomialLoss CyExponentialLoss CyHalfMultinomialLoss';

/** Cython classes pickle through a generated `__pyx_unpickle_<Class>` function of their module. */
function withCythonUnpicklers(classes: string): string[] {
  return [
    classes,
    classes
      .split(' ')
      .map((c) => `__pyx_unpickle_${c}`)
      .join(' '),
  ];
}

/**
 * scikit-learn estimators, transformers, meta-estimators and their fitted internals, under the private
 * module paths current releases (1.0 to 1.6) pickle them with, plus the public paths of releases before
 * 0.22 for the most common estimators.
 */
export const SKLEARN_ALLOWLIST: LibraryAllowlist = {
  library: 'scikit-learn',
  modules: {
    'sklearn.linear_model._logistic': ['LogisticRegression LogisticRegressionCV'],
    'sklearn.linear_model._base': ['LinearRegression'],
    'sklearn.linear_model._ridge': ['Ridge RidgeCV RidgeClassifier RidgeClassifierCV'],
    'sklearn.linear_model._coordinate_descent': [
      'Lasso LassoCV ElasticNet ElasticNetCV MultiTaskLasso MultiTaskLassoCV MultiTaskElasticNet MultiTaskElasticNetCV',
    ],
    'sklearn.linear_model._least_angle': ['Lars LarsCV LassoLars LassoLarsCV LassoLarsIC'],
    'sklearn.linear_model._bayes': ['BayesianRidge ARDRegression'],
    'sklearn.linear_model._stochastic_gradient': ['SGDClassifier SGDRegressor SGDOneClassSVM'],
    'sklearn.linear_model._perceptron': ['Perceptron'],
    'sklearn.linear_model._passive_aggressive': ['PassiveAggressiveClassifier PassiveAggressiveRegressor'],
    'sklearn.linear_model._huber': ['HuberRegressor'],
    'sklearn.linear_model._ransac': ['RANSACRegressor'],
    'sklearn.linear_model._theil_sen': ['TheilSenRegressor'],
    'sklearn.linear_model._quantile': ['QuantileRegressor'],
    'sklearn.linear_model._omp': ['OrthogonalMatchingPursuit OrthogonalMatchingPursuitCV'],
    'sklearn.linear_model._glm.glm': [
      'PoissonRegressor GammaRegressor TweedieRegressor _GeneralizedLinearRegressor',
    ],
    'sklearn.svm._classes': ['SVC SVR LinearSVC LinearSVR NuSVC NuSVR OneClassSVM'],
    'sklearn.tree._classes': [
      'DecisionTreeClassifier DecisionTreeRegressor ExtraTreeClassifier ExtraTreeRegressor',
    ],
    'sklearn.tree._tree': ['Tree'],
    'sklearn.ensemble._forest': [
      'RandomForestClassifier RandomForestRegressor ExtraTreesClassifier ExtraTreesRegressor RandomTreesEmbedding',
    ],
    'sklearn.ensemble._gb': ['GradientBoostingClassifier GradientBoostingRegressor'],
    'sklearn.ensemble._gb_losses': [
      'BinomialDeviance MultinomialDeviance ExponentialLoss LeastSquaresError LeastAbsoluteError ' +
        'HuberLossFunction QuantileLossFunction',
    ],
    'sklearn.ensemble._hist_gradient_boosting.gradient_boosting': [
      'HistGradientBoostingClassifier HistGradientBoostingRegressor',
    ],
    'sklearn.ensemble._hist_gradient_boosting.predictor': ['TreePredictor'],
    'sklearn.ensemble._hist_gradient_boosting.binning': ['_BinMapper'],
    'sklearn.ensemble._weight_boosting': ['AdaBoostClassifier AdaBoostRegressor'],
    'sklearn.ensemble._bagging': ['BaggingClassifier BaggingRegressor'],
    'sklearn.ensemble._iforest': ['IsolationForest'],
    'sklearn.ensemble._voting': ['VotingClassifier VotingRegressor'],
    'sklearn.ensemble._stacking': ['StackingClassifier StackingRegressor'],
    'sklearn._loss.loss': [
      'HalfSquaredError AbsoluteError PinballLoss HuberLoss HalfPoissonLoss HalfGammaLoss HalfTweedieLoss ' +
        'HalfTweedieLossIdentity HalfBinomialLoss ExponentialLoss HalfMultinomialLoss',
    ],
    'sklearn._loss._loss': withCythonUnpicklers(CY_LOSSES),
    'sklearn._loss.link': ['Interval IdentityLink LogLink LogitLink HalfLogitLink MultinomialLogit'],
    'sklearn.neighbors._classification': ['KNeighborsClassifier RadiusNeighborsClassifier'],
    'sklearn.neighbors._regression': ['KNeighborsRegressor RadiusNeighborsRegressor'],
    'sklearn.neighbors._unsupervised': ['NearestNeighbors'],
    'sklearn.neighbors._nearest_centroid': ['NearestCentroid'],
    'sklearn.neighbors._lof': ['LocalOutlierFactor'],
    'sklearn.neighbors._kde': ['KernelDensity'],
    'sklearn.neighbors._kd_tree': ['KDTree KDTree64 KDTree32 newObj'],
    'sklearn.neighbors._ball_tree': ['BallTree BallTree64 BallTree32 newObj'],
    'sklearn.neighbors._dist_metrics': ['EuclideanDistance newObj'],
    'sklearn.metrics._dist_metrics': [
      'EuclideanDistance EuclideanDistance64 EuclideanDistance32 ManhattanDistance64 MinkowskiDistance64 ' +
        'ChebyshevDistance64 newObj',
    ],
    'sklearn.naive_bayes': ['GaussianNB MultinomialNB BernoulliNB ComplementNB CategoricalNB'],
    'sklearn.cluster._kmeans': ['KMeans MiniBatchKMeans'],
    'sklearn.cluster._dbscan': ['DBSCAN'],
    'sklearn.cluster._agglomerative': ['AgglomerativeClustering FeatureAgglomeration'],
    'sklearn.cluster._birch': ['Birch _CFNode _CFSubcluster'],
    'sklearn.cluster._mean_shift': ['MeanShift'],
    'sklearn.cluster._spectral': ['SpectralClustering'],
    'sklearn.cluster._affinity_propagation': ['AffinityPropagation'],
    'sklearn.cluster._optics': ['OPTICS'],
    'sklearn.cluster._bisect_k_means': ['BisectingKMeans'],
    'sklearn.cluster._hdbscan.hdbscan': ['HDBSCAN'],
    'sklearn.decomposition._pca': ['PCA'],
    'sklearn.decomposition._truncated_svd': ['TruncatedSVD'],
    'sklearn.decomposition._incremental_pca': ['IncrementalPCA'],
    'sklearn.decomposition._kernel_pca': ['KernelPCA'],
    'sklearn.decomposition._nmf': ['NMF MiniBatchNMF'],
    'sklearn.decomposition._lda': ['LatentDirichletAllocation'],
    'sklearn.decomposition._fastica': ['FastICA'],
    'sklearn.decomposition._factor_analysis': ['FactorAnalysis'],
    'sklearn.decomposition._sparse_pca': ['SparsePCA MiniBatchSparsePCA'],
    'sklearn.decomposition._dict_learning': ['DictionaryLearning MiniBatchDictionaryLearning SparseCoder'],
    'sklearn.preprocessing._data': [
      'StandardScaler MinMaxScaler MaxAbsScaler RobustScaler Normalizer Binarizer QuantileTransformer ' +
        'PowerTransformer KernelCenterer',
    ],
    'sklearn.preprocessing._encoders': ['OneHotEncoder OrdinalEncoder'],
    'sklearn.preprocessing._label': ['LabelEncoder LabelBinarizer MultiLabelBinarizer'],
    'sklearn.preprocessing._polynomial': ['PolynomialFeatures SplineTransformer'],
    'sklearn.preprocessing._discretization': ['KBinsDiscretizer'],
    'sklearn.preprocessing._function_transformer': ['FunctionTransformer'],
    'sklearn.preprocessing._target_encoder': ['TargetEncoder'],
    'sklearn.impute._base': ['SimpleImputer MissingIndicator'],
    'sklearn.impute._knn': ['KNNImputer'],
    'sklearn.impute._iterative': ['IterativeImputer'],
    'sklearn.feature_extraction.text': ['CountVectorizer TfidfVectorizer TfidfTransformer HashingVectorizer'],
    'sklearn.feature_extraction._dict_vectorizer': ['DictVectorizer'],
    'sklearn.feature_extraction._hash': ['FeatureHasher'],
    'sklearn.feature_selection._univariate_selection': [
      'SelectKBest SelectPercentile GenericUnivariateSelect SelectFpr SelectFdr SelectFwe f_classif ' +
        'f_regression r_regression f_oneway chi2',
    ],
    'sklearn.feature_selection._mutual_info': ['mutual_info_classif mutual_info_regression'],
    'sklearn.feature_selection._variance_threshold': ['VarianceThreshold'],
    'sklearn.feature_selection._rfe': ['RFE RFECV'],
    'sklearn.feature_selection._from_model': ['SelectFromModel'],
    'sklearn.feature_selection._sequential': ['SequentialFeatureSelector'],
    'sklearn.pipeline': ['Pipeline FeatureUnion'],
    'sklearn.compose._column_transformer': ['ColumnTransformer make_column_selector _RemainderColsList'],
    'sklearn.compose._target': ['TransformedTargetRegressor'],
    'sklearn.model_selection._search': ['GridSearchCV RandomizedSearchCV ParameterGrid ParameterSampler'],
    'sklearn.model_selection._search_successive_halving': ['HalvingGridSearchCV HalvingRandomSearchCV'],
    'sklearn.model_selection._split': [
      'KFold StratifiedKFold GroupKFold StratifiedGroupKFold ShuffleSplit StratifiedShuffleSplit GroupShuffleSplit ' +
        'TimeSeriesSplit RepeatedKFold RepeatedStratifiedKFold LeaveOneOut LeaveOneGroupOut PredefinedSplit',
    ],
    'sklearn.model_selection._classification_threshold': [
      'TunedThresholdClassifierCV FixedThresholdClassifier',
    ],
    'sklearn.calibration': ['CalibratedClassifierCV _CalibratedClassifier _SigmoidCalibration'],
    'sklearn.isotonic': ['IsotonicRegression'],
    'sklearn.multiclass': ['OneVsRestClassifier OneVsOneClassifier OutputCodeClassifier _ConstantPredictor'],
    'sklearn.multioutput': ['MultiOutputClassifier MultiOutputRegressor ClassifierChain RegressorChain'],
    'sklearn.neural_network._multilayer_perceptron': ['MLPClassifier MLPRegressor'],
    'sklearn.neural_network._rbm': ['BernoulliRBM'],
    'sklearn.neural_network._stochastic_optimizers': ['AdamOptimizer SGDOptimizer'],
    'sklearn.discriminant_analysis': ['LinearDiscriminantAnalysis QuadraticDiscriminantAnalysis'],
    'sklearn.gaussian_process._gpc': ['GaussianProcessClassifier'],
    'sklearn.gaussian_process._gpr': ['GaussianProcessRegressor'],
    'sklearn.gaussian_process.kernels': [
      'RBF Matern ConstantKernel WhiteKernel DotProduct RationalQuadratic ExpSineSquared Sum Product ' +
        'Exponentiation Hyperparameter',
    ],
    'sklearn.kernel_approximation': [
      'RBFSampler Nystroem AdditiveChi2Sampler SkewedChi2Sampler PolynomialCountSketch',
    ],
    'sklearn.kernel_ridge': ['KernelRidge'],
    'sklearn.manifold._t_sne': ['TSNE'],
    'sklearn.manifold._isomap': ['Isomap'],
    'sklearn.manifold._locally_linear': ['LocallyLinearEmbedding'],
    'sklearn.manifold._mds': ['MDS'],
    'sklearn.manifold._spectral_embedding': ['SpectralEmbedding'],
    'sklearn.mixture._gaussian_mixture': ['GaussianMixture'],
    'sklearn.mixture._bayesian_mixture': ['BayesianGaussianMixture'],
    'sklearn.covariance._empirical_covariance': ['EmpiricalCovariance'],
    'sklearn.covariance._shrunk_covariance': ['ShrunkCovariance LedoitWolf OAS'],
    'sklearn.covariance._robust_covariance': ['MinCovDet'],
    'sklearn.covariance._elliptic_envelope': ['EllipticEnvelope'],
    'sklearn.covariance._graph_lasso': ['GraphicalLasso GraphicalLassoCV'],
    'sklearn.cross_decomposition._pls': ['PLSRegression PLSCanonical CCA PLSSVD'],
    'sklearn.dummy': ['DummyClassifier DummyRegressor'],
    'sklearn.semi_supervised._label_propagation': ['LabelPropagation LabelSpreading'],
    'sklearn.semi_supervised._self_training': ['SelfTrainingClassifier'],
    'sklearn.random_projection': ['GaussianRandomProjection SparseRandomProjection'],
    'sklearn.utils._bunch': ['Bunch'],
    'sklearn.utils': ['Bunch'],
    'sklearn.metrics._scorer': ['_Scorer _PredictScorer _ProbaScorer _ThresholdScorer _PassthroughScorer'],
    'sklearn.metrics._classification': [
      'accuracy_score balanced_accuracy_score f1_score fbeta_score precision_score recall_score log_loss ' +
        'matthews_corrcoef jaccard_score',
    ],
    'sklearn.metrics._ranking': ['roc_auc_score average_precision_score'],
    'sklearn.metrics._regression': [
      'mean_squared_error mean_absolute_error r2_score median_absolute_error explained_variance_score ' +
        'mean_absolute_percentage_error',
    ],
    // Public module paths of scikit-learn before 0.22.
    'sklearn.linear_model.logistic': ['LogisticRegression'],
    'sklearn.linear_model.base': ['LinearRegression'],
    'sklearn.linear_model.ridge': ['Ridge'],
    'sklearn.ensemble.forest': ['RandomForestClassifier RandomForestRegressor'],
    'sklearn.ensemble.gradient_boosting': ['GradientBoostingClassifier GradientBoostingRegressor'],
    'sklearn.tree.tree': ['DecisionTreeClassifier DecisionTreeRegressor'],
    'sklearn.svm.classes': ['SVC SVR LinearSVC'],
    'sklearn.preprocessing.data': ['StandardScaler MinMaxScaler'],
    'sklearn.preprocessing.label': ['LabelEncoder'],
    'sklearn.decomposition.pca': ['PCA'],
    'sklearn.neighbors.classification': ['KNeighborsClassifier'],
  },
};

/** joblib's array wrappers (the array bytes that follow are read by joblib, not unpickled). */
export const JOBLIB_ALLOWLIST: LibraryAllowlist = {
  library: 'joblib',
  modules: {
    'joblib.numpy_pickle': ['NumpyArrayWrapper'],
    'joblib.numpy_pickle_compat': ['NDArrayWrapper ZNDArrayWrapper'],
    'sklearn.externals.joblib.numpy_pickle': ['NumpyArrayWrapper'],
  },
};
